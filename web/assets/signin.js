import { api, keepSession, nextPath, problemText, say } from './common.js';

// Sign in and register. The guest cart's cookie goes with the request, so the sign-in merges it.
const errors = document.getElementById('auth-errors');

function bind(id, path, fields) {
  const form = document.getElementById(id);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    say(errors, '');
    const data = new FormData(form);
    const body = Object.fromEntries(fields.map((f) => [f, String(data.get(f) ?? '')]));
    const r = await api('POST', path, body, { auth: false });
    if (!r.ok) {
      say(errors, problemText(r.body));
      errors.focus();
      return;
    }
    keepSession(r.body);
    location.assign(nextPath());
  });
}

errors.tabIndex = -1;
bind('sign-in', '/api/v1/auth/login', ['email', 'password']);
bind('register', '/api/v1/auth/register', ['name', 'email', 'password']);
