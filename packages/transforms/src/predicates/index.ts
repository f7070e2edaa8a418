import type { PredicateDefinition } from '@sluice/core';
import { javaAliases } from '../variant.ts';
import { hasHeaderKey } from './has-header-key.ts';
import { recordIsTombstone } from './record-is-tombstone.ts';
import { topicNameMatches } from './topic-name-matches.ts';

const predicates: readonly PredicateDefinition[] = [topicNameMatches, hasHeaderKey, recordIsTombstone];

/** TopicNameMatches, HasHeaderKey, RecordIsTombstone, and their Java class names. */
export const predicateFamily: { readonly predicates: readonly PredicateDefinition[]; readonly aliases: Readonly<Record<string, string>> } = {
  predicates,
  aliases: javaAliases(predicates, 'org.apache.kafka.connect.transforms.predicates'),
};
