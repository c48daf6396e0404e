// The command tree. Global options live on the root and are accepted anywhere on the line
// (`atelier datasets ls --json` and `atelier --json datasets ls` are the same).
import { Command, Option } from 'commander';
import { examples, type Runtime } from './command-kit.js';
import { registerCompletion } from './commands/completion.command.js';
import { registerDatasets } from './commands/datasets.command.js';
import { registerDeploy } from './commands/deploy.command.js';
import { registerFeatures } from './commands/features.command.js';
import { registerJobs } from './commands/jobs.command.js';
import { registerKeys } from './commands/keys.command.js';
import { registerLogin } from './commands/login.command.js';
import { registerModels } from './commands/models.command.js';
import { registerPredict } from './commands/predict.command.js';
import { registerProjects } from './commands/projects.command.js';
import { registerTune } from './commands/tune.command.js';
import { EXIT_CODE_HELP } from './exit-code-help.js';

export function buildProgram(rt: Runtime): Command {
  const program = new Command('atelier');
  program
    .description('Atelier from the command line: data → features → train → evaluate → promote → deploy → predict.')
    .version('0.1.0', '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => rt.io.stdout.write(s),
      writeErr: (s) => rt.io.stderr.write(s),
    })
    .showHelpAfterError('(add --help for usage and examples)')
    .option('--profile <name>', 'profile from the profile file (env ATELIER_PROFILE)')
    .option('--endpoint <url>', 'platform URL, e.g. http://localhost:8080 (env ATELIER_ENDPOINT)')
    .addOption(new Option('--api-key <key>', 'API key (env ATELIER_API_KEY; prefer the profile or the env)'))
    .option('-p, --project <name>', 'project for project-scoped commands (env ATELIER_PROJECT)')
    .option('--json', 'print one JSON document on stdout (the API’s own shapes), for scripts')
    .option('-q, --quiet', 'print nothing but what a script captures (an id), no progress')
    .option('--no-color', 'no colours even on a terminal (NO_COLOR does the same)');
  examples(program, [
    'atelier login --endpoint http://localhost:8080 --api-key "$KEY" --project shop',
    'atelier datasets push customers.csv',
    'atelier jobs run train.json --follow',
    'atelier models promote churn 1 --alias production',
    'atelier deploy churn-live.yaml',
    `atelier predict churn --data '[{"age":25,"income":40000,"city":"paris"}]'`,
  ]);
  program.addHelpText('after', EXIT_CODE_HELP);

  registerLogin(program, rt);
  registerProjects(program, rt);
  registerKeys(program, rt);
  registerDatasets(program, rt);
  registerFeatures(program, rt);
  registerJobs(program, rt);
  registerTune(program, rt);
  registerModels(program, rt);
  registerDeploy(program, rt);
  registerPredict(program, rt);
  registerCompletion(program, rt);
  return program;
}
