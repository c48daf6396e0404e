// The shell: sign-in when there is no session, else the sidebar and the screen the URL names.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Link, match, navigate, seg, useLocation } from './router.js';
import { clearSession, clientFor, loadSession, type Session } from './session.js';
import { Ctx } from './context.js';
import { ThemeToggle } from './ui/theme.js';
import { Empty } from './ui/states.js';
import { SignIn } from './screens/sign-in.js';
import { ProjectsScreen } from './screens/projects.js';
import { ApiKeysScreen } from './screens/api-keys.js';
import { AuditLogScreen } from './screens/audit-log.js';
import { DatasetsScreen } from './screens/datasets.js';
import { DatasetScreen } from './screens/dataset.js';
import { JobsScreen } from './screens/jobs.js';
import { JobScreen } from './screens/job.js';
import { NewJobScreen } from './screens/new-job.js';
import { TuningJobScreen, TuningJobsScreen } from './screens/tuning.js';
import { ModelsScreen } from './screens/models.js';
import { ModelScreen } from './screens/model.js';
import { DeploymentsScreen } from './screens/deployments.js';
import { DeploymentScreen } from './screens/deployment.js';
import { FeaturesScreen } from './screens/features.js';
import { NewFeatureViewScreen } from './screens/new-feature-view.js';
import { MonitoringScreen } from './screens/monitoring.js';

type Screen = (props: { params: Record<string, string>; query: URLSearchParams }) => preact.JSX.Element;

const ROUTES: Array<[string, Screen]> = [
  ['/p/:project/keys', ApiKeysScreen],
  ['/p/:project/audit-log', AuditLogScreen],
  ['/p/:project/datasets', DatasetsScreen],
  ['/p/:project/datasets/:name', DatasetScreen],
  ['/p/:project/jobs', JobsScreen],
  ['/p/:project/jobs/new', NewJobScreen],
  ['/p/:project/jobs/:id', JobScreen],
  ['/p/:project/tuning', TuningJobsScreen],
  ['/p/:project/tuning/:id', TuningJobScreen],
  ['/p/:project/models', ModelsScreen],
  ['/p/:project/models/:name', ModelScreen],
  ['/p/:project/deployments', DeploymentsScreen],
  ['/p/:project/deployments/:name', DeploymentScreen],
  ['/p/:project/deployments/:name/monitoring', MonitoringScreen],
  ['/p/:project/features', FeaturesScreen],
  ['/p/:project/features/new', NewFeatureViewScreen],
];

const NAV: Array<[string, string]> = [
  ['datasets', 'Datasets'],
  ['features', 'Features'],
  ['jobs', 'Training jobs'],
  ['tuning', 'Tuning jobs'],
  ['models', 'Models'],
  ['deployments', 'Deployments'],
  ['keys', 'API keys'],
  ['audit-log', 'Audit log'],
];

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const loc = useLocation();
  const signOut = () => {
    clearSession();
    setSession(null);
    navigate('/signin');
  };

  if (!session) {
    return <SignIn onSignedIn={(s) => setSession(s)} />;
  }
  return <Shell session={session} signOut={signOut} path={loc.path} query={loc.query} />;
}

function Shell({ session, signOut, path, query }: { session: Session; signOut: () => void; path: string; query: URLSearchParams }) {
  const projectInUrl = /^\/p\/([^/]+)/.exec(path)?.[1];
  const project = projectInUrl ? decodeURIComponent(projectInUrl) : session.project;
  const api = useMemo(() => clientFor(session, project), [session, project]);
  const ctx = useMemo(() => ({ session, project, api, signOut }), [session, project, api, signOut]);

  let content: preact.JSX.Element | null = null;
  // Home: the project's datasets, or the project list when the key names no project.
  if (path === '/' || path === '/signin') content = <Redirect to={project ? `/p/${seg(project)}/datasets` : '/projects'} />;
  else if (path === '/projects') content = <ProjectsScreen />;
  for (const [pattern, Screen] of ROUTES) {
    if (content) break;
    const params = match(pattern, path);
    if (params) content = <Screen key={pattern} params={params} query={query} />;
  }
  const section = /^\/p\/[^/]+\/([^/]+)/.exec(path)?.[1];

  return (
    <Ctx.Provider value={ctx}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <div class="shell">
        <nav class="sidebar" aria-label="Main">
          <Link to={project ? `/p/${seg(project)}/datasets` : '/projects'} class="brand">
            <img src="/console/favicon.svg" alt="" />
            Atelier
          </Link>
          <Link to="/projects" class="nav-link" aria-current={path === '/projects' ? 'page' : undefined}>
            Projects
          </Link>
          {project ? (
            <>
              <div class="muted" style={{ padding: '8px 10px 2px', fontSize: '12px' }}>
                Project <strong data-testid="current-project">{project}</strong>
              </div>
              {NAV.map(([id, text]) => (
                <Link key={id} to={`/p/${seg(project)}/${id}`} class="nav-link" aria-current={section === id ? 'page' : undefined}>
                  {text}
                </Link>
              ))}
            </>
          ) : null}
          <div class="sidebar-foot">
            <a href="/docs" class="nav-link">
              API reference
            </a>
            <ThemeToggle />
            <button type="button" class="btn small" onClick={signOut}>
              Sign out
            </button>
          </div>
        </nav>
        <main class="main" id="main" tabIndex={-1}>
          {content ?? <Empty>This page does not exist. <Link to="/">Go home</Link>.</Empty>}
        </main>
      </div>
    </Ctx.Provider>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}
