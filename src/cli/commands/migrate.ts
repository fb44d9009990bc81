import type { Command } from 'commander';
import type { CommandDeps } from '../command-deps.js';
import { EXIT } from '../output.js';

/**
 * `vod-ops migrate [--grant-to <role>]`: brings the store's schema up to date (every start does this too) and,
 * on PostgreSQL, grants the service's own role what it needs and no more. Run it as the owner of the tables; the
 * service then runs as that role and can neither rewrite the audit trail nor disable the triggers that guard it.
 */
export function registerMigrateCommand(
  program: Command,
  deps: CommandDeps & { env: NodeJS.ProcessEnv },
): void {
  program
    .command('migrate')
    .description(
      'bring the store up to date; on PostgreSQL, grant the service its role (run as the tables’ owner)',
    )
    .option('--grant-to <role>', 'PostgreSQL: the role vod-ops serves as, given only what it needs')
    .action(async (opts: { grantTo?: string }) => {
      try {
        const { loadStoreSettings } = await import('../../app/settings.js');
        const { storeLocation } = await import('../../core/store/store-config.js');
        const { migrateStore } = await import('../../core/store/open-store.js');
        const { store: config, storeLocation: location } = loadStoreSettings(deps.env);
        if (location.notice) deps.io.stderr.write(`warning: ${location.notice}\n`);
        await migrateStore(config, opts.grantTo === undefined ? {} : { grantTo: opts.grantTo });
        deps.io.stdout.write(`The store is up to date: ${storeLocation(config)}.\n`);
        if (opts.grantTo) {
          deps.io.stdout.write(
            `Granted ${opts.grantTo} what vod-ops needs: it may read and write requests, and only read and append the ` +
              'audit trail.\n',
          );
        }
        deps.setExitCode(EXIT.ok);
      } catch (error) {
        deps.onError(error, false);
      }
    });
}
