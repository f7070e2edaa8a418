import { SecretScrubber } from './config/secret-scrubber.ts';
import { textLogger } from './logging.ts';
import { PLUGINS_USAGE, pluginsCommand } from './plugins/command.ts';

const USAGE = `usage: sluice standalone worker.properties [connector.properties|connector.json …]
       sluice distributed worker.properties

standalone runs a worker with Kafka Connect's worker and connector files, unchanged;
distributed joins the Connect cluster of the file's group.id, connectors created over REST.

${PLUGINS_USAGE}`;

// One set of known secrets for the whole process: the herder adds to it, the logger hides them.
const secrets = new SecretScrubber();
const logger = textLogger(process.env.SLUICE_LOG_LEVEL ?? 'info', undefined, secrets);

async function main(args: string[]): Promise<number> {
  const [mode, workerFile, ...connectorFiles] = args;
  if (mode === 'plugins') return pluginsCommand(args.slice(1), { out: (line) => console.log(line), err: (line) => console.error(line) });
  if ((mode !== 'standalone' && mode !== 'distributed') || !workerFile || (mode === 'distributed' && connectorFiles.length > 0)) {
    console.error(USAGE);
    return 2;
  }
  // Imported here so `sluice plugins …` does not load the runtime.
  const worker =
    mode === 'standalone'
      ? await (await import('./standalone/main.ts')).startStandalone(workerFile, connectorFiles, logger, secrets)
      : await (await import('./distributed/main.ts')).startDistributed(workerFile, logger, secrets);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping connectors, committing offsets`);
    worker.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stopping failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (error: unknown) => {
    console.error(secrets.scrub(`sluice: ${error instanceof Error ? error.message : String(error)}`));
    process.exit(1);
  },
);
