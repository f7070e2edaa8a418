import type { KafkaAdmin } from '../kafka/port.ts';
import { taskTransactionalId } from './exactly-once-config.ts';

/**
 * Fences the producers of a connector's earlier task generation before a new one starts
 * (KIP-618 zombie fencing): every transactional id `<group.id>-<connector>-<task>` for tasks
 * 0 … `taskCount`-1 gets its epoch bumped, so a task still running on a worker that lost its
 * assignment (a zombie) can no longer commit, and whatever transaction it had open is aborted.
 * `taskCount` is the largest task count of the generations that may still run (Kafka Connect
 * keeps it in the config topic's `tasks-fencing-<connector>` record).
 */
export async function fenceTaskGeneration(admin: KafkaAdmin, groupId: string, connector: string, taskCount: number): Promise<void> {
  const ids = Array.from({ length: taskCount }, (_, task) => taskTransactionalId(groupId, connector, task));
  if (ids.length > 0) await admin.fenceProducers(ids);
}
