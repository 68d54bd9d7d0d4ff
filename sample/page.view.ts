export type PageMode = { mode: 'dev' } | { mode: 'hanko'; apiUrl: string };

/** The sample's page: plain HTML and one inline module script; no build step, no framework. */
export function samplePage(options: PageMode): string {
  const apiUrl = options.mode === 'hanko' ? options.apiUrl : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>nestjs-hanko-auth sample</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2430; }
  main { max-width: 40rem; margin: 3rem auto; padding: 2rem; background: #fff; border-radius: 12px; box-shadow: 0 1px 4px #0002; }
  h1 { font-size: 1.4rem; margin-top: 0; } h2 { font-size: 1rem; margin-bottom: .3rem; }
  .note { color: #5b6474; font-size: .9rem; }
  button { font: inherit; padding: .5rem 1.1rem; border: 0; border-radius: 8px; background: #3b5bdb; color: #fff; cursor: pointer; }
  #sign-out { background: #495057; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
  dt { color: #5b6474; } dd { margin: 0; font-family: ui-monospace, monospace; word-break: break-all; }
  #me-status { font-weight: 600; } .ok { color: #2b8a3e; } .refused { color: #c92a2a; }
  pre { background: #f1f3f5; padding: .8rem; border-radius: 8px; overflow: auto; font-size: .8rem; max-height: 16rem; }
</style>
</head>
<body data-mode="${options.mode}" data-hanko-api="${escapeAttribute(apiUrl)}">
<main>
  <h1>nestjs-hanko-auth sample</h1>
  <p class="note" id="mode-note"></p>
  <section id="signed-out" hidden>
    ${
      options.mode === 'dev'
        ? `<button id="sign-in" type="button">Sign in (dev)</button>
    <p class="note">Signs in a fake user: the in-process test issuer mints a session token (POST /dev/session), the page stores it in the <code>hanko</code> cookie, as Hanko's frontend SDK does.</p>`
        : '<hanko-auth></hanko-auth>'
    }
  </section>
  <section id="signed-in" hidden>
    <dl>
      <dt>User id</dt><dd id="user-id"></dd>
      <dt>Email</dt><dd id="user-email"></dd>
      <dt>Logged in with</dt><dd id="user-amr"></dd>
      <dt>Session expires</dt><dd id="user-expires"></dd>
    </dl>
    <button id="sign-out" type="button">Sign out</button>
  </section>
  <h2>GET /me</h2>
  <p id="me-status">…</p>
  <pre id="me-body"></pre>
</main>
<script type="module">${script}</script>
</body>
</html>
`;
}

const script = `
const $ = (id) => document.getElementById(id);
const { mode, hankoApi } = document.body.dataset;

/** Asks the API who we are (the hanko cookie goes along) and shows the answer. */
async function showMe() {
  let res;
  try {
    res = await fetch('/me', { credentials: 'same-origin', headers: { accept: 'application/json' } });
  } catch (error) {
    $('me-status').textContent = 'GET /me failed: ' + error.message;
    return;
  }
  const text = await res.text();
  let body = text;
  try { body = JSON.parse(text); } catch {}
  $('me-status').textContent = res.status + ' ' + (res.statusText || (res.ok ? 'OK' : 'error'));
  $('me-status').className = res.ok ? 'ok' : 'refused';
  $('me-body').textContent = typeof body === 'string' ? body : JSON.stringify(body, null, 2);
  $('signed-in').hidden = !res.ok;
  $('signed-out').hidden = res.ok;
  if (res.ok) {
    $('user-id').textContent = body.id;
    $('user-email').textContent = body.email ? body.email.address + (body.email.isVerified ? ' (verified)' : '') : '(none)';
    $('user-amr').textContent = body.amr.length ? body.amr.join(', ') : '(not given)';
    $('user-expires').textContent = new Date(body.expiresAt).toLocaleString();
  }
  document.body.dataset.state = res.ok ? 'signed-in' : 'signed-out';
}

if (mode === 'dev') {
  $('mode-note').textContent = 'Dev issuer: sessions come from the in-process test issuer (never in production).';
  $('sign-in').addEventListener('click', async () => {
    const res = await fetch('/dev/session', { method: 'POST' });
    const { token } = await res.json();
    document.cookie = 'hanko=' + token + '; path=/; SameSite=Lax';
    await showMe();
  });
  $('sign-out').addEventListener('click', async () => {
    document.cookie = 'hanko=; path=/; SameSite=Lax; max-age=0';
    await showMe();
  });
} else {
  $('mode-note').textContent = 'Signing in with Hanko at ' + hankoApi + '.';
  try {
    const { register } = await import('/vendor/hanko-elements.js');
    const { hanko } = await register(hankoApi);
    document.querySelector('hanko-auth').addEventListener('onSessionCreated', () => showMe());
    $('sign-out').addEventListener('click', async () => {
      try { await hanko.logout(); } finally { await showMe(); }
    });
  } catch (error) {
    $('mode-note').textContent = 'Could not load <hanko-auth>: ' + error.message;
  }
}
await showMe();
`;

function escapeAttribute(value: string): string {
  return value.replace(/[&"'<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}
