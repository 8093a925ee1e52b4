import type { StructLayout } from '../layout/engine.js';
import type { SourcePos } from './header-error.js';

/** A struct or union declared in a header (its layout carries the kernel-doc), with where each part is. */
export interface HeaderStruct {
  readonly name: string;
  readonly union?: boolean;
  readonly layout: StructLayout;
  readonly pos: SourcePos;
  /** Where each member is declared. */
  readonly fieldPos: ReadonlyMap<string, SourcePos>;
}

/** A `#define NAME value` whose value is an integer or a string literal. */
export interface HeaderDefine {
  readonly name: string;
  readonly value: bigint | string;
  readonly pos: SourcePos;
}

/** A `static_assert(...)` / `_Static_assert(...)` evaluated against the computed layout. */
export interface StaticAssertResult {
  /** The expression as written (whitespace collapsed). */
  readonly expr: string;
  readonly holds: boolean;
  readonly message?: string;
  readonly pos: SourcePos;
}

/** An `#include` line. */
export interface HeaderInclude {
  readonly name: string;
  readonly system: boolean;
  readonly pos: SourcePos;
  /** The file it was read from, when -I found it. */
  readonly followed?: string;
}

/** A `DOC:` kernel-doc block. */
export interface DocBlock {
  readonly title: string;
  readonly body: string;
  readonly pos: SourcePos;
}

/** Everything kho-abi understands of one KHO ABI header. */
export interface ParsedHeader {
  readonly file: string;
  readonly includes: readonly HeaderInclude[];
  /** Object-like macros of this header with an integer or string value, in order. */
  readonly defines: readonly HeaderDefine[];
  /** `*_COMPATIBLE` / `*_COMPAT` string macros, evaluated. */
  readonly compatible: readonly HeaderDefine[];
  /** `*_VERSION` integer macros. */
  readonly versions: readonly HeaderDefine[];
  /** Structs and unions declared in this header (not in included ones), in order. */
  readonly structs: readonly HeaderStruct[];
  readonly staticAsserts: readonly StaticAssertResult[];
  readonly docs: readonly DocBlock[];
}

/** Reads an `#include`d header (`from` is the including file): the file it came from and its text, or undefined when not found. */
export type IncludeResolver = (name: string, system: boolean, from?: string) => { file: string; text: string } | undefined;
