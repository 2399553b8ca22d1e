/**
 * Type tests for the runtime shipped in every generated package (checked by `vitest --typecheck`):
 * `Narrow<Source, Target>` narrows a workflow input to the API field it flows into only when
 * that is safe, and `RunOptions` keys base URLs by source description name and takes any
 * OpenTelemetry `Tracer` and `Meter`.
 */
import type { Meter, Tracer } from "@opentelemetry/api";
import { describe, expectTypeOf, test } from "vitest";
import type { Narrow, RunOptions } from "../../generator/runtime/runtime.ts";

describe("Narrow", () => {
  test("narrows to the target when every target value is a source value", () => {
    expectTypeOf<Narrow<string, "a" | "b" | undefined>>().toEqualTypeOf<"a" | "b">();
    expectTypeOf<Narrow<string, "a" | "b" | null>>().toEqualTypeOf<"a" | "b">();
    expectTypeOf<Narrow<string, "EUR">>().toEqualTypeOf<"EUR">();
    expectTypeOf<Narrow<number, 1 | 2>>().toEqualTypeOf<1 | 2>();
    expectTypeOf<Narrow<number, 1 | 2 | undefined>>().toEqualTypeOf<1 | 2>();
    expectTypeOf<Narrow<boolean, true>>().toEqualTypeOf<true>();
    expectTypeOf<Narrow<string, string | undefined>>().toEqualTypeOf<string>();
    expectTypeOf<Narrow<string | number, string>>().toEqualTypeOf<string>();
  });

  test("keeps the source when the target is wider, unrelated or uninformative", () => {
    expectTypeOf<Narrow<string, number>>().toEqualTypeOf<string>();
    expectTypeOf<Narrow<string, "a" | 1>>().toEqualTypeOf<string>();
    expectTypeOf<Narrow<"a", string>>().toEqualTypeOf<"a">();
    expectTypeOf<Narrow<string, any>>().toEqualTypeOf<string>();
    expectTypeOf<Narrow<string, unknown>>().toEqualTypeOf<string>();
    expectTypeOf<Narrow<string, never>>().toEqualTypeOf<string>();
    expectTypeOf<Narrow<string, undefined>>().toEqualTypeOf<string>();
    expectTypeOf<Narrow<string, null | undefined>>().toEqualTypeOf<string>();
    expectTypeOf<Narrow<number, string>>().toEqualTypeOf<number>();
  });

  test("is never any", () => {
    expectTypeOf<Narrow<string, any>>().not.toBeAny();
    expectTypeOf<Narrow<string, unknown>>().not.toBeUnknown();
    expectTypeOf<Narrow<string, never>>().not.toBeNever();
  });
});

describe("RunOptions", () => {
  test("baseUrls is an optional partial map from source names to strings", () => {
    expectTypeOf<RunOptions<"a" | "b">["baseUrls"]>().toEqualTypeOf<{ a?: string; b?: string } | undefined>();
    expectTypeOf<{ a: "https://a.example" }>().toExtend<NonNullable<RunOptions<"a" | "b">["baseUrls"]>>();
    expectTypeOf<{ c: string }>().not.toExtend<NonNullable<RunOptions<"a" | "b">["baseUrls"]>>();
  });

  test("tracer and meter: any OpenTelemetry Tracer and Meter, and not one for the other", () => {
    type Options = RunOptions<"a">;
    expectTypeOf<Tracer>().toExtend<NonNullable<Options["tracer"]>>();
    expectTypeOf<Meter>().toExtend<NonNullable<Options["meter"]>>();
    expectTypeOf<Meter>().not.toExtend<NonNullable<Options["tracer"]>>();
    expectTypeOf<Tracer>().not.toExtend<NonNullable<Options["meter"]>>();
    expectTypeOf<{ startSpan(name: string): string }>().not.toExtend<NonNullable<Options["tracer"]>>();
  });

  test("the other options", () => {
    expectTypeOf<RunOptions<"a">["signal"]>().toEqualTypeOf<AbortSignal | undefined>();
    expectTypeOf<RunOptions<"a">["fetch"]>().toEqualTypeOf<((input: Request) => Promise<Response>) | undefined>();
  });
});
