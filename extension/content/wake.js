// Runs as the page starts loading (document_start), before the page's text exists.
//
// Chrome stops an idle extension background after about 30 seconds, and Firefox unloads its
// event page, so a reader who opens an article now and then finds the core stopped: started
// by the first scan, it makes the first marks wait for the background to wake and the core to
// start. This asks the background to start it now, while the page loads, so that it is running
// when the content script (document_idle) sends the page's text. The message carries nothing
// from the page; a site the reader switched off wakes nothing.
import * as Message from '../common/messages.js';
import { DEFAULTS, enabledFor, extensionApi } from '../common/settings.js';

const api = extensionApi();
api.storage.local
  .get(['enabled', 'sites'])
  .then((/** @type {{ enabled?: boolean, sites?: Record<string, boolean> }} */ stored) => {
    if (enabledFor(location.hostname, { ...DEFAULTS, ...stored })) return api.runtime.sendMessage(Message.wake());
  })
  // A background that cannot start says so to the content script's scan, which the popup shows.
  .catch(() => {});
