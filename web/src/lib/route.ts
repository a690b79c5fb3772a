// Screens are hash routes ("#/plan") so the browser's back button works without server routes.
export type Route = 'home' | 'screening' | 'checkin' | 'setup' | 'plan' | 'session' | 'summary' | 'history' | 'settings';
const routes: Route[] = ['home', 'screening', 'checkin', 'setup', 'plan', 'session', 'summary', 'history', 'settings'];

export function routeFromHash(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split('?')[0];
  return (routes as string[]).includes(name) ? (name as Route) : 'home';
}
