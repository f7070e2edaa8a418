import { combine } from '../variant.ts';
import { dropHeaders } from './drop-headers.ts';
import { filter } from './filter.ts';
import { headerFrom } from './header-from.ts';
import { insertHeader } from './insert-header.ts';
import { regexRouter } from './regex-router.ts';
import { timestampConverter } from './timestamp-converter.ts';
import { timestampRouter } from './timestamp-router.ts';

/** DropHeaders, Filter, HeaderFrom, InsertHeader, RegexRouter, TimestampConverter, TimestampRouter. */
export const recordTransforms = combine([dropHeaders, filter, headerFrom, insertHeader, regexRouter, timestampConverter, timestampRouter]);
