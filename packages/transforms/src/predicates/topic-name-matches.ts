import { configError, defineConfig, definePredicate, nonEmptyString } from '@sluice/core';
import { JavaPattern, javaRegexValidator } from '../record/java-regex.ts';

/** TopicNameMatches: true when the whole topic name matches `pattern`. */
export const topicNameMatches = definePredicate({
  name: 'TopicNameMatches',
  doc: 'True for records whose topic name matches a regular expression (the whole name, not a part of it).',
  config: defineConfig({
    pattern: {
      type: 'string',
      validate: [nonEmptyString(), javaRegexValidator()],
      importance: 'medium',
      doc: 'A Java regular expression matched against the whole topic name.',
    },
  }),
  create() {
    let pattern: JavaPattern | undefined;
    return {
      configure(c) {
        try {
          pattern = new JavaPattern(c.pattern);
        } catch (error) {
          throw configError('pattern', `must be a Java-compatible regular expression: ${(error as Error).message}`, { cause: error });
        }
      },
      test: (record) => pattern?.matches(record.topic) != null,
    };
  },
});
