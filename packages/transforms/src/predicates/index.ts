import type { PredicateDefinition } from '@sluice/core';

/** TopicNameMatches, HasHeaderKey, RecordIsTombstone, and their Java class names. */
export const predicateFamily: { readonly predicates: readonly PredicateDefinition[]; readonly aliases: Readonly<Record<string, string>> } = { predicates: [], aliases: {} };
