// Runs as the page starts loading (document_start), before the page's text exists.
//
// Chrome stops an idle extension background after about 30 seconds, and Firefox unloads its
// event page, so a reader who opens an article now and then finds the core stopped: started
// by the first scan, it makes the first marks wait for the background to wake and the core to
// start. This asks the background to start it now, while the page loads, so that it is running
// when the content script (document_idle) sends the page's text. The message carries nothing
// from the page; a site the reader switched off wakes nothing. The settings it reads are the
// content script's too, read by the time it starts.
//
// The manifest gives the marks' stylesheet (marks.css) to this entry, not to the content
// script's: Chrome injects a content script's CSS before the page is built whatever its
// run_at, but Firefox injects it at its entry's run_at, and a stylesheet added at
// document_idle restyles the whole page already laid out: on wikipedia-2.html that held the
// page's main thread, and the reply to the first scan, 67 and 87 ms in two loads.
import * as Message from '../common/messages.js';
import { enabledFor, extensionApi, readSettingsEarly } from '../common/settings.js';

const api = extensionApi();
// The content script (main.js, same world) takes these settings instead of reading them again.
readSettingsEarly(api)
  .then((settings) => {
    if (enabledFor(location.hostname, settings)) return api.runtime.sendMessage(Message.wake());
  })
  // A background that cannot start says so to the content script's scan, which the popup shows.
  .catch(() => {});
