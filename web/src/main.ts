// Entry point: styles, every custom element, the app, and the service worker (offline use).
import './styles.css';
import './components/body-map';
import './components/progress-ring';
import './components/pain-scale';
import './components/why-link';
import './components/explain-dialog';
import './components/exercise-picture';
import './components/emergency-call';
import './screens/screening-screen';
import './screens/chooser-screen';
import './screens/plan-screen';
import './screens/session-screen';
import './screens/summary-screen';
import './screens/history-screen';
import './screens/settings-screen';
import './screens/login-screen';
import './clinic/patient-list';
import './clinic/patient-detail';
import './app';
import { ReminderTimer } from './lib/notify';
import { loadSettings } from './lib/settings';

ReminderTimer.shared.schedule(loadSettings());

if ('serviceWorker' in navigator && window.isSecureContext) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // Offline use is a bonus: the app works without it.
    });
  });
}
