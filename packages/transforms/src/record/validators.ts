// Config validators the record transforms share.
import { custom } from '@sluice/core';
import type { Validator } from '@sluice/core';

/** Kafka's `NonEmptyListValidator`: a list key must name at least one element. */
export function nonEmptyList(): Validator {
  return custom('non-empty list', (value) => (Array.isArray(value) && value.length === 0 ? 'must list at least one element, got an empty list' : undefined));
}
