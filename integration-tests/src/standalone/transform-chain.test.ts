import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTopic, produceRecords, uniqueTopic } from '@sluice/testkit';
import { describe, expect, inject, it } from 'vitest';
import { WORKER_ARGS, quickstartDir } from './fixtures.ts';
import { waitForLines, workersPerTest } from './worker-process.ts';

describe('a transform chain with predicates through a real topic', () => {
  const bootstrap = inject('kafkaBootstrap');
  const workers = workersPerTest(WORKER_ARGS);

  it('drops tombstones, masks unless a header says public, routes by topic name, and records the new topic', async () => {
    const id = uniqueTopic('x').slice(2);
    const topic = `orders-${id}`;
    await createTopic(bootstrap, topic, 1);
    await produceRecords(bootstrap, topic, [
      { value: '{"n":0,"secret":"s0"}' },
      { value: '{"n":1,"secret":"s1"}', headers: { public: 'yes' } },
      { value: null },
      { value: '{"n":3,"secret":"s3"}' },
    ]);
    const dir = quickstartDir(bootstrap, {
      sink: {
        topics: topic,
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': 'false',
        transforms: 'dropTombstones,mask,route,addTopic',
        'transforms.dropTombstones.type': 'org.apache.kafka.connect.transforms.Filter',
        'transforms.dropTombstones.predicate': 'isTombstone',
        'transforms.mask.type': 'org.apache.kafka.connect.transforms.MaskField$Value',
        'transforms.mask.fields': 'secret',
        'transforms.mask.predicate': 'isPublic',
        'transforms.mask.negate': 'true',
        'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
        'transforms.route.regex': 'orders-(.*)',
        'transforms.route.replacement': 'routed-$1',
        'transforms.route.predicate': 'isOrders',
        'transforms.addTopic.type': 'org.apache.kafka.connect.transforms.InsertField$Value',
        'transforms.addTopic.topic.field': 'topic',
        predicates: 'isTombstone,isPublic,isOrders',
        'predicates.isTombstone.type': 'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone',
        'predicates.isPublic.type': 'org.apache.kafka.connect.transforms.predicates.HasHeaderKey',
        'predicates.isPublic.name': 'public',
        'predicates.isOrders.type': 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
        'predicates.isOrders.pattern': 'orders-.*',
      },
    });
    writeFileSync(join(dir, 'test.txt'), '');
    workers.start(dir);
    expect(await waitForLines(join(dir, 'test.sink.txt'), 3)).toBe(
      [`{n=0, secret=, topic=routed-${id}}`, `{n=1, secret=s1, topic=routed-${id}}`, `{n=3, secret=, topic=routed-${id}}`, ''].join('\n'),
    );
  });

  it('stops start-up naming the transform alias and key of a bad transform config', async () => {
    const dir = quickstartDir(bootstrap, {
      source: { transforms: 'cast', 'transforms.cast.type': 'Cast$Value', 'transforms.cast.spec': 'int99' },
    });
    const worker = workers.start(dir);
    expect(await worker.exited).toBe(1);
    expect(worker.output).toMatch(/config key `transforms\.cast\.spec`: .*int99/);
  });
});
