// Screens are hash routes ("#/plan") so the browser's back button works without server routes.
// Clinic mode adds #/login, #/invite/<token>, #/clinic (the therapist's patient list) and
// #/clinic/<patient id>; the part after the route's name is its parameter (routeParam).
export type Route =
  | 'home'
  | 'screening'
  | 'checkin'
  | 'setup'
  | 'plan'
  | 'session'
  | 'summary'
  | 'history'
  | 'settings'
  | 'login'
  | 'invite'
  | 'clinic'
  | 'patient';
const routes: Route[] = ['home', 'screening', 'checkin', 'setup', 'plan', 'session', 'summary', 'history', 'settings', 'login', 'invite', 'clinic'];

function segments(hash: string): string[] {
  return hash.replace(/^#\/?/, '').split('?')[0].split('/');
}

export function routeFromHash(hash: string): Route {
  const [name, param] = segments(hash);
  if (name === 'clinic' && param) return 'patient';
  if (name === 'invite' && !param) return 'home';
  return (routes as string[]).includes(name) ? (name as Route) : 'home';
}

/** "#/clinic/p_12" -> "p_12", "#/invite/abc" -> "abc" (percent-decoded); '' when there is none or it is malformed. */
export function routeParam(hash: string): string {
  const param = segments(hash)[1] ?? '';
  try {
    return decodeURIComponent(param);
  } catch {
    return '';
  }
}

/** The routes that need no login in clinic mode. */
export function isPublicRoute(route: Route): boolean {
  return route === 'login' || route === 'invite';
}
