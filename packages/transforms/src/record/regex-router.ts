import { configError, defineConfig, newRecord } from '@sluice/core';
import { singleTransform } from '../variant.ts';
import { JavaPattern, JavaReplacement, javaRegexValidator } from './java-regex.ts';

const config = defineConfig({
  regex: {
    type: 'string',
    validate: javaRegexValidator(),
    importance: 'high',
    doc: 'A Java regular expression; a record is renamed only when it matches the whole topic name. As in Kafka, the new name then replaces only the first match the regex finds anywhere in the topic (`Matcher.replaceFirst`), so a lazy or alternated regex can leave text after it: `(.*?)-(\\d+)` with `$1_$2` turns `a-1-2` into `a_1-2`.',
  },
  replacement: {
    type: 'string',
    importance: 'high',
    doc: 'The new topic name. `$1`, `$2`… insert the groups the regex captured, `${name}` a named group; `\\$` is a literal dollar sign.',
  },
});

/** RegexRouter: renames the topic of records whose topic the regex matches, e.g. `(.*)-raw` → `$1`. */
export const regexRouter = singleTransform({
  name: 'RegexRouter',
  doc: 'Renames the topic of each record whose topic matches a regular expression, building the new name from a replacement with group references.',
  config,
  create() {
    let pattern: JavaPattern | undefined;
    let replacement: JavaReplacement | undefined;
    return {
      configure(c) {
        try {
          pattern = new JavaPattern(c.regex);
        } catch (error) {
          throw configError('regex', `invalid regex: ${(error as Error).message}`, { cause: error });
        }
        try {
          replacement = new JavaReplacement(c.replacement, pattern);
        } catch (error) {
          throw configError('replacement', (error as Error).message, { cause: error });
        }
      },
      apply(record) {
        if (pattern === undefined || replacement === undefined || pattern.matches(record.topic) === null) return record;
        // Kafka checks matches() and then calls replaceFirst(), which starts over and replaces
        // the first unanchored find() — text after that match is kept.
        return newRecord(record, { topic: pattern.replaceFirst(record.topic, replacement) });
      },
    };
  },
});
