// `kyozo <command>`: serve (default), analyze, help, and the client commands that drive a Kyozo server over its
// JSON API (server/cli/client.ts). Heavy modules load only for the command that needs them.
import './db/keepExitCode.ts';
import { safeErrorMessage } from './db/errors.ts';

const [command = 'serve', ...argv] = process.argv.slice(2);

async function main(): Promise<number> {
  switch (command) {
    case 'serve': {
      const { startKyozo } = await import('./main.ts');
      const kyozo = await startKyozo();
      const stop = async () => {
        await kyozo.stop();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return -1; // keep running
    }
    case 'analyze': {
      const { runAnalyze } = await import('./cli/analyze.ts');
      return runAnalyze(argv);
    }
    case 'help':
    case '--help':
    case '-h': {
      const { findCommand, helpText, usageOf } = await import('./cli/help.ts');
      const one = argv[0] ? findCommand(argv[0]) : undefined;
      if (argv[0] && !one && !['serve', 'analyze'].includes(argv[0])) {
        console.error(`kyozo: unknown command "${argv[0]}"\n\n${helpText()}`);
        return 2;
      }
      console.log(one ? usageOf(one) : helpText());
      return 0;
    }
    default: {
      const { runClientCommand } = await import('./cli/client.ts');
      return runClientCommand(command, argv);
    }
  }
}

main().then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: Error) => {
    console.error(`kyozo: ${safeErrorMessage(err)}`);
    process.exit(1);
  },
);
