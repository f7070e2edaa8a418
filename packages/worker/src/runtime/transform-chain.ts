import { inspect } from 'node:util';
import { configError, defineConfig, errorCodeOf, SluiceError } from '@sluice/core';
import type { ConnectRecord, Predicate, Transformation } from '@sluice/core';
import type { PluginRegistry } from '../plugins/registry.ts';

/** Kafka Connect's keys every transform accepts besides its own (KIP-585). */
const conditionConfig = defineConfig({
  predicate: { type: 'string', default: '', doc: 'Alias of the predicate that decides whether this transform applies.' },
  negate: { type: 'boolean', default: false, doc: 'Apply the transform when the predicate does not match.' },
});

interface Step {
  readonly alias: string;
  /** The name the config gave in `transforms.<alias>.type`, as error reports show it. */
  readonly type: string;
  readonly transform: Transformation;
  readonly predicate: Predicate | null;
  readonly negate: boolean;
}

/** The keys under `prefix`, with the prefix removed. */
function under(config: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) if (key.startsWith(prefix)) out[key.slice(prefix.length)] = value;
  return out;
}

/**
 * Runs a component's parse and `configure`, turning its CONFIG errors into ones naming the full
 * connector key: ``config key `times`: …`` becomes ``config key `transforms.a.times`: …``.
 */
function qualified<T>(prefix: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (errorCodeOf(error) !== 'CONFIG') throw error;
    const { message, context } = error as SluiceError;
    const named = message.replace(/config key `([^`]*)`/g, (_match, key: string) => `config key \`${prefix}${key}\``);
    const key = typeof context.key === 'string' ? `${prefix}${context.key}` : prefix.slice(0, -1);
    throw new SluiceError('CONFIG', named === message ? `config key \`${key}\`: ${message}` : named, { cause: error, context: { key } });
  }
}

/**
 * A connector's transforms (`transforms`, `transforms.<alias>.*`) with their predicates
 * (`predicates`, `predicates.<alias>.*`), built from the registry and configured. Building one
 * is also how a config is validated: every problem is a CONFIG error naming the full key, e.g.
 * ``config key `transforms.route.regex`: is required``.
 */
export class TransformChain {
  readonly #steps: readonly Step[];
  /** The step that ran last, so a failure can name it. */
  #current: Step | null = null;

  private constructor(steps: readonly Step[]) {
    this.#steps = steps;
  }

  static build(registry: PluginRegistry, config: Readonly<Record<string, string>>, transforms: readonly string[], predicateAliases: readonly string[]): TransformChain {
    const built: { close?(): void }[] = [];
    try {
      return TransformChain.#build(registry, config, transforms, predicateAliases, built);
    } catch (error) {
      // Those configured before the bad one are released; their own close errors matter less.
      try {
        closeAll(built);
      } catch {
        // the configuration error is the one to report
      }
      throw error;
    }
  }

  static #build(
    registry: PluginRegistry,
    config: Readonly<Record<string, string>>,
    transforms: readonly string[],
    predicateAliases: readonly string[],
    built: { close?(): void }[],
  ): TransformChain {
    const predicates = new Map<string, Predicate>();
    for (const alias of new Set(predicateAliases)) {
      const prefix = `predicates.${alias}.`;
      const type = config[`${prefix}type`];
      if (!type) throw configError(`${prefix}type`, `is missing: predicate \`${alias}\` is listed in \`predicates\` and needs a type`);
      const definition = registry.resolve('predicate', type, `${prefix}type`);
      const { type: _type, ...own } = under(config, prefix);
      predicates.set(alias, qualified(prefix, () => {
        const predicate = definition.create();
        built.push(predicate);
        predicate.configure(definition.config.parse(own));
        return predicate;
      }));
    }
    const steps = [...new Set(transforms)].map((alias): Step => {
      const prefix = `transforms.${alias}.`;
      const type = config[`${prefix}type`];
      if (!type) throw configError(`${prefix}type`, `is missing: transform \`${alias}\` is listed in \`transforms\` and needs a type`);
      const definition = registry.resolve('transform', type, `${prefix}type`);
      const { type: _type, predicate: predicateAlias, negate, ...own } = under(config, prefix);
      const condition = qualified(prefix, () => conditionConfig.parse({ predicate: predicateAlias, negate }));
      if (condition.predicate !== '' && !predicates.has(condition.predicate)) {
        throw configError(`${prefix}predicate`, `names \`${condition.predicate}\`, which is not listed in \`predicates\``);
      }
      const transform = qualified(prefix, () => {
        const created = definition.create();
        built.push(created);
        created.configure(definition.config.parse(own));
        return created;
      });
      return { alias, type, transform, predicate: predicates.get(condition.predicate) ?? null, negate: condition.negate };
    });
    return new TransformChain(steps);
  }

  get empty(): boolean {
    return this.#steps.length === 0;
  }

  /** The `transforms.<alias>.type` of the step that ran last (the one that failed, after a throw). */
  get currentType(): string {
    return this.#current?.type ?? '';
  }

  /** The record after every step whose predicate allows it, or `null` once a step drops it. */
  apply<R extends ConnectRecord>(record: R): R | null {
    let current: R | null = record;
    for (const step of this.#steps) {
      this.#current = step;
      if (step.predicate && step.predicate.test(current) === step.negate) continue;
      current = step.transform.apply(current) as R | null;
      if (current === null) return null;
    }
    return current;
  }

  /** Closes every transform and predicate, all of them even when one throws; then throws the first error. */
  close(): void {
    closeAll([...this.#steps.map((step) => step.transform), ...new Set(this.#steps.flatMap((step) => (step.predicate ? [step.predicate] : [])))]);
  }
}

function closeAll(components: readonly { close?(): void }[]): void {
  let first: unknown = null;
  for (const component of components) {
    try {
      component.close?.();
    } catch (error) {
      first ??= error;
    }
  }
  if (first !== null) throw first instanceof Error ? first : new Error(inspect(first));
}
