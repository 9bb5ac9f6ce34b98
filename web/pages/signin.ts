import { html } from 'hono/html';
import { layout, type Markup } from '../layout.ts';

/**
 * Sign in and register (signin.js posts to the auth API). The bearer token is kept in the tab's sessionStorage,
 * never in a URL or a cookie; a guest cart (its HttpOnly cookie) is merged by the sign-in itself.
 */
export const signInPage = (): Markup =>
  layout(
    { title: 'Sign in', script: 'signin.js' },
    html`<h1>Sign in</h1>
<div id="auth-errors" role="alert" class="message error"></div>
<div class="auth-layout">
  <form id="sign-in" class="panel" novalidate>
    <h2>I have an account</h2>
    <label>Email <input type="email" name="email" autocomplete="username" required></label>
    <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
    <button type="submit">Sign in</button>
  </form>
  <form id="register" class="panel" novalidate>
    <h2>I am new here</h2>
    <label>Name <input type="text" name="name" autocomplete="name" required></label>
    <label>Email <input type="email" name="email" autocomplete="email" required></label>
    <label>Password <input type="password" name="password" autocomplete="new-password" minlength="8" required
      aria-describedby="password-hint"></label>
    <p id="password-hint" class="muted">At least 8 characters.</p>
    <button type="submit">Create account</button>
  </form>
</div>`,
  );
