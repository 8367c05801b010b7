// Example host page for a Tandem embed (see docs/embed.md). Framework-free on purpose: copy what you need.
// The token is sent with postMessage after the embed says `ready`, never put in the iframe's URL.
(() => {
  const PROTOCOL = 1;
  const events = [];
  window.tandemEvents = events; // for the end-to-end test and for poking around in devtools
  let frame = null;
  let tandemOrigin = null;
  let token = null;
  let theme = 'light';

  function log(text) {
    const item = document.createElement('li');
    item.textContent = text; // never innerHTML: names in presence events come from users
    document.getElementById('events').append(item);
  }

  /** A browser notification from the host page while it is in the background, if the person allowed them. */
  function showNotification(notification) {
    if (!document.hidden || typeof Notification === 'undefined') return;
    if (Notification.permission === 'granted')
      new Notification(notification.title, { body: notification.text });
  }

  /** The course page's own badge: how many class notifications are unread. */
  function showUnread(count) {
    const badge = document.getElementById('unread');
    badge.textContent = `${count} unread in class`;
    badge.hidden = count === 0;
  }

  function send(command) {
    if (!frame || !tandemOrigin) return;
    // Always name the target origin: the token must only ever reach Tandem.
    frame.contentWindow.postMessage({ tandem: PROTOCOL, ...command }, tandemOrigin);
  }

  function onMessage(event) {
    // Check both: the message comes from our iframe, and from Tandem's origin.
    if (!frame || event.source !== frame.contentWindow || event.origin !== tandemOrigin) return;
    const message = event.data;
    if (!message || message.tandem !== PROTOCOL || typeof message.type !== 'string') return;
    events.push(message);
    switch (message.type) {
      case 'ready':
        log(`ready (view ${message.view}${message.needsToken ? ', waiting for a token' : ''})`);
        if (message.needsToken && token) send({ type: 'setToken', token });
        break;
      case 'joined':
        log(`joined ${message.classId} as ${message.user.name} (${message.user.role}, ${message.scope})`);
        break;
      case 'presence':
        log(
          `presence: ${message.people.map((p) => `${p.name}${p.status === 'idle' ? ' (idle)' : ''}`).join(', ')}`,
        );
        break;
      case 'saved':
        log(message.saved ? 'all changes saved' : `saving (${message.pending} pending)`);
        break;
      case 'notification':
        // The iframe cannot show browser notifications; a course page can (or shows its own badge).
        log(
          `notification (${message.unreadCount} unread): ${message.notification.title}: ${message.notification.text}`,
        );
        showNotification(message.notification);
        showUnread(message.unreadCount);
        break;
      case 'unread':
        // Sent when the embed's inbox first loads and whenever the count changes (read in the embed, too).
        log(`${message.unreadCount} unread`);
        showUnread(message.unreadCount);
        break;
      case 'error':
        log(`error ${message.code}: ${message.message}`);
        // A real course page would fetch a fresh token from its own server here.
        if (message.code === 'token_expiring') log('(fetch a new token and send setToken)');
        break;
      default:
        log(`unknown event ${message.type}`);
    }
  }

  function embed({ tandem, classId, view, jwt }) {
    tandemOrigin = new URL(tandem).origin;
    token = jwt;
    frame?.remove();
    frame = document.createElement('iframe');
    const src = new URL(`/embed/${encodeURIComponent(classId)}`, tandemOrigin);
    src.searchParams.set('view', view);
    src.searchParams.set('parent', window.location.origin);
    frame.src = src.href;
    frame.title = 'Live class';
    frame.allow = 'camera; microphone; display-capture; fullscreen; clipboard-write';
    document.getElementById('frame-slot').append(frame);
  }

  window.addEventListener('message', onMessage);

  // Served by Tandem itself (at /examples/embed-host.html), the Tandem URL is this page's own origin.
  const tandemField = document.querySelector('#setup input[name="tandem"]');
  if (!tandemField.value && /^https?:$/.test(window.location.protocol))
    tandemField.value = window.location.origin;

  document.getElementById('setup').addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(event.target);
    embed({
      tandem: data.get('tandem'),
      classId: data.get('class'),
      view: data.get('view'),
      jwt: data.get('token'),
    });
  });

  document.querySelector('.controls').addEventListener('click', (event) => {
    const command = event.target.dataset?.command;
    if (command === 'theme') {
      theme = theme === 'light' ? 'dark' : 'light';
      send({ type: 'setTheme', theme, id: `theme-${Date.now()}` });
    } else if (command === 'open') send({ type: 'openFile', name: 'main.py', id: 'open-main' });
    else if (command === 'unfollow') send({ type: 'follow', userId: null });
  });

  // Settings may also come in this page's fragment (#tandem=...&class=...&view=...&token=...), which is how
  // the end-to-end test drives it.
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  if (fragment.get('tandem') && fragment.get('token')) {
    embed({
      tandem: fragment.get('tandem'),
      classId: fragment.get('class') ?? 'demo',
      view: fragment.get('view') ?? 'all',
      jwt: fragment.get('token'),
    });
    history.replaceState(null, '', window.location.pathname);
  }
  window.tandemHost = { send };
})();
