import files from '@sluice/connector-file';
import { assertErrorCode } from '@sluice/core';
import transforms from '@sluice/transforms';
import { describe, expect, it } from 'vitest';
import { PluginRegistry } from '../plugins/registry.ts';
import { ConnectorRuntime } from './connector-runtime.ts';

const registry = new PluginRegistry([files, transforms]);
const sink = { name: 'sink', 'connector.class': 'FileStreamSink', file: '/tmp/out.txt', topics: 'orders' };
const validate = (config: Record<string, string>) => ConnectorRuntime.validate(registry.resolve('connector', config['connector.class']!), config, registry);

describe('ConnectorRuntime.validate', () => {
  it('accepts a chain of Kafka transforms and predicates by their Java class names', () => {
    expect(() =>
      validate({
        ...sink,
        transforms: 'mask,route',
        'transforms.mask.type': 'org.apache.kafka.connect.transforms.MaskField$Value',
        'transforms.mask.fields': 'ssn',
        'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
        'transforms.route.regex': 'orders-(.*)',
        'transforms.route.replacement': '$1',
        'transforms.route.predicate': 'isOrders',
        'transforms.route.negate': 'true',
        predicates: 'isOrders',
        'predicates.isOrders.type': 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
        'predicates.isOrders.pattern': 'orders-.*',
      }),
    ).not.toThrow();
  });

  it('rejects a transform config missing a required key, naming the alias and key', () => {
    const error = assertErrorCode(() => validate({ ...sink, transforms: 'mask', 'transforms.mask.type': 'MaskField$Value' }), 'CONFIG');
    expect(error.message).toContain('config key `transforms.mask.fields`');
  });

  it('rejects a transform config value of the wrong type, naming the alias and key', () => {
    const error = assertErrorCode(() => validate({ ...sink, transforms: 'cast', 'transforms.cast.type': 'Cast$Value', 'transforms.cast.spec': 'price:money' }), 'CONFIG');
    expect(error.message).toMatch(/config key `transforms\.cast\.spec`: .*money/);
  });

  it('rejects a predicate with a bad pattern, naming the predicate alias and key', () => {
    const error = assertErrorCode(
      () => validate({ ...sink, predicates: 'p', 'predicates.p.type': 'TopicNameMatches', 'predicates.p.pattern': '(unclosed' }),
      'CONFIG',
    );
    expect(error.message).toContain('config key `predicates.p.pattern`');
  });

  it('rejects a bad errors.tolerance and restart setting, naming the key', () => {
    expect(() => validate({ ...sink, 'errors.tolerance': 'some' })).toThrow('config key `errors.tolerance`');
    expect(() => validate({ ...sink, 'sluice.restart.max.attempts': '-2' })).toThrow('config key `sluice.restart.max.attempts`');
  });

  it('rejects a sink whose dead letter queue is one of its own topics', () => {
    expect(() => validate({ ...sink, 'errors.deadletterqueue.topic.name': 'orders' })).toThrow(
      'config key `errors.deadletterqueue.topic.name`: `orders` is also in `topics`: the connector would consume its own dead letters',
    );
  });
});
