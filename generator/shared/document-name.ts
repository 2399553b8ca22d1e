import path from "node:path";

/** The generated package's folder (and default npm name) for an Arazzo file: `flows/payments.arazzo.yaml` → `payments`. */
export function documentName(file: string): string {
  return path
    .basename(file)
    .replace(/\.(ya?ml|json)$/i, "")
    .replace(/\.arazzo$/i, "");
}
