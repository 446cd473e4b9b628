/*
 * The teal dashboard: follows /events (the /status view pushed on every change; /status polled every
 * second when the stream is unavailable), loads /history now and then, draws, and ramps.
 */
(function () {
  'use strict';

  var POLL_MS = 1000;
  var STREAM_RETRY_MS = 5000;
  var HISTORY_MS = 15000;
  var HOUR_MS = 3600e3;
  var TOKEN_KEY = 'teal-admin-token';
  var COLORS = ['blue', 'green'];

  var state = {
    token: sessionStorage.getItem(TOKEN_KEY) || '',
    server: [],
    live: [],
    now: Date.now(),
    status: null,
    ramping: false,
    streaming: false,
    selectedPhase: null,
    // The last ramp's answer, kept to say what became of the phases it started.
    lastRamp: null
  };

  var numbers = new Intl.NumberFormat('en-US');

  function $(id) {
    return document.getElementById(id);
  }

  function setText(id, text) {
    var node = $(id);
    if (node && node.textContent !== text) {
      node.textContent = text;
    }
  }

  function headers() {
    var h = { Accept: 'application/json' };
    if (state.token) {
      h.Authorization = 'Bearer ' + state.token;
    }
    return h;
  }

  function call(method, path) {
    var tokenUsed = state.token;
    return fetch(path, { method: method, headers: headers(), cache: 'no-store', credentials: 'omit' })
      .then(function (res) {
        return res.text().then(function (text) {
          var body = null;
          try {
            body = text ? JSON.parse(text) : null;
          } catch (e) {
            body = null;
          }
          // A 401 for a request sent before the operator entered a token says nothing about the new one.
          if (res.status === 401 && tokenUsed === state.token) {
            $('token-bar').hidden = false;
          }
          return { status: res.status, ok: res.ok, body: body };
        });
      });
  }

  /* ---------- formatting ---------- */

  function relative(ms) {
    var s = Math.round(Math.abs(ms) / 1000);
    var text;
    if (s < 60) {
      text = s + 's';
    } else if (s < 3600) {
      text = Math.floor(s / 60) + 'm ' + String(s % 60).padStart(2, '0') + 's';
    } else {
      text = Math.floor(s / 3600) + 'h ' + String(Math.floor((s % 3600) / 60)).padStart(2, '0') + 'm';
    }
    return ms >= 0 ? 'in ' + text : text + ' ago';
  }

  function instant(id, iso, nowMs) {
    var node = $(id);
    node.textContent = '';
    if (!iso) {
      node.textContent = '–';
      return;
    }
    var t = Date.parse(iso);
    node.appendChild(document.createTextNode(TealChart.clockSeconds(t)));
    var small = document.createElement('small');
    small.textContent = relative(t - nowMs);
    node.appendChild(small);
    node.title = iso;
  }

  /* ---------- rendering ---------- */

  function renderSplit(split) {
    var bar = $('split-bar');
    $('seg-blue').style.flexBasis = split.blue + '%';
    $('seg-green').style.flexBasis = split.green + '%';
    $('seg-blue').classList.toggle('empty', split.blue < 12);
    $('seg-green').classList.toggle('empty', split.green < 12);
    // The scale under the bar repeats a share only where the bar is too narrow to show it.
    $('split-blue').parentNode.classList.toggle('shown', split.blue < 12);
    $('split-green').parentNode.classList.toggle('shown', split.green < 12);
    bar.setAttribute('aria-label', 'split: blue ' + split.blue + ' %, green ' + split.green + ' %');
    bar.title = 'blue ' + split.blue + ' % · green ' + split.green + ' %';
    setText('split-blue', split.blue + ' %');
    setText('split-green', split.green + ' %');
    setText('seg-blue-pct', split.blue + ' %');
    setText('seg-green-pct', split.green + ' %');
    var buttons = document.querySelectorAll('.ramp-btn');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].classList.toggle('current', Number(buttons[i].dataset.green) === split.green);
    }
  }

  function renderRollout(r) {
    setText('rollout-id', r.id === 0 ? 'none yet' : '#' + r.id);
    setText('rollout-dir', r.id === 0 ? r.live + ' live' : r.old + ' → ' + r.new);
    var pill = $('rollout-state');
    pill.textContent = r.state;
    pill.className = 'pill ' + r.state;
    $('rollout').title = 'rollout ' + r.id + ' · ' + r.state + ' since ' + r.changedAt;
  }

  function renderColor(name, c, nowMs) {
    setText('sessions-' + name, numbers.format(c.activeSessions));
    setText('inflight-' + name, numbers.format(c.inFlight));
    setText('upgraded-' + name, numbers.format(c.upgraded));
    setText('share-' + name, c.share + ' % of new');
    var pill = $('drain-' + name);
    pill.textContent = c.drain;
    pill.className = 'pill ' + c.drain;
    instant('deadline-' + name, c.drainDeadline, nowMs);
    instant('estimate-' + name, c.drainEstimate, nowMs);

    var list = $('backends-' + name);
    list.textContent = '';
    var healthy = 0;
    c.backends.forEach(function (b) {
      var li = document.createElement('li');
      var dot = document.createElement('span');
      var stateText;
      if (b.healthy) {
        healthy++;
        dot.className = 'dot dot-up';
        stateText = 'up';
      } else if (b.ejectedUntil) {
        dot.className = 'dot dot-ejected';
        stateText = 'ejected ' + relative(Date.parse(b.ejectedUntil) - nowMs).replace('in ', 'for ');
      } else {
        dot.className = 'dot dot-downed';
        stateText = 'down';
      }
      var addr = document.createElement('span');
      addr.className = 'addr';
      addr.textContent = b.address;
      var out = document.createElement('span');
      out.className = 'out';
      out.textContent = numbers.format(b.outstanding) + ' active';
      var st = document.createElement('span');
      st.className = 'state';
      st.textContent = stateText;
      li.appendChild(dot);
      li.appendChild(addr);
      li.appendChild(st);
      li.appendChild(out);
      list.appendChild(li);
    });
    setText('backends-sum-' + name, healthy + ' of ' + c.backends.length + ' healthy');
  }

  function render(status) {
    state.status = status;
    var nowMs = Date.parse(status.at);
    state.now = nowMs;
    renderSplit(status.split);
    renderRollout(status.rollout);
    COLORS.forEach(function (name) {
      if (status.colors[name]) {
        renderColor(name, status.colors[name], nowMs);
      }
    });
    renderPhases(status.phases, status.rollout, nowMs);
    renderNextRelease(status.rollout);
    renderRampResult();
    setText('footer-at', 'server time ' + TealChart.clockSeconds(nowMs) + ' · ' + location.host);
  }

  /* ---------- phases ---------- */

  var PHASE_STATES = {
    pending: 'pending', queued: 'queued', running: 'running', succeeded: 'succeeded', failed: 'failed',
    'timed-out': 'timed out', interrupted: 'interrupted', skipped: 'skipped'
  };
  var RERUNNABLE = ['failed', 'timed-out', 'interrupted', 'skipped'];

  function duration(ms) {
    if (ms === null || ms === undefined) {
      return '';
    }
    return ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
  }

  function phaseWhen(p, nowMs) {
    if (!p.startedAt) {
      return '';
    }
    var started = Date.parse(p.startedAt);
    if (p.state === 'running') {
      return 'since ' + TealChart.clockSeconds(started) + ' · ' + relative(started - nowMs);
    }
    return TealChart.clockSeconds(started) + (p.durationMillis !== null ? ' · ' + duration(p.durationMillis) : '');
  }

  function renderPhases(phases, rollout, nowMs) {
    var list = $('phases');
    var rolloutId = phases.length ? phases[0].rollout : rollout.id;
    setText('phases-hint', phases.length === 0
      ? 'No phases configured.'
      : 'rollout ' + (rolloutId === 0 ? '– (none yet)' : '#' + rolloutId) + ' · click a phase for its output');
    list.textContent = '';
    phases.forEach(function (p) {
      var li = document.createElement('li');
      li.className = 'phase state-' + p.state + (state.selectedPhase === p.name ? ' selected' : '');
      li.dataset.name = p.name;
      li.title = p.name + ' (' + p.trigger + ', ' + p.kind + '): ' + (PHASE_STATES[p.state] || p.state) +
        (p.detail ? ' — ' + p.detail : '');
      var tick = document.createElement('span');
      tick.className = 'tick';
      var name = document.createElement('span');
      name.className = 'phase-name';
      name.textContent = p.name;
      var what = document.createElement('span');
      what.className = 'phase-what';
      what.textContent = p.trigger + ' · ' + p.kind;
      var st = document.createElement('span');
      st.className = 'phase-state';
      st.textContent = PHASE_STATES[p.state] || p.state;
      var when = document.createElement('span');
      when.className = 'phase-when';
      when.textContent = phaseWhen(p, nowMs);
      li.appendChild(tick);
      li.appendChild(name);
      li.appendChild(what);
      li.appendChild(st);
      li.appendChild(when);
      list.appendChild(li);
    });
    renderPhaseDetail(phases.filter(function (p) { return p.name === state.selectedPhase; })[0], nowMs);
  }

  function renderPhaseDetail(p, nowMs) {
    var panel = $('phase-detail');
    if (!p) {
      panel.hidden = true;
      return;
    }
    panel.hidden = false;
    setText('phase-detail-name', p.name);
    setText('phase-detail-what', p.trigger + ' · ' + p.kind + ' · rollout #' + p.rollout + ' · ' +
      (PHASE_STATES[p.state] || p.state));
    var line = p.startedAt
      ? 'started ' + TealChart.clockSeconds(Date.parse(p.startedAt)) +
        (p.endedAt ? ', ended ' + TealChart.clockSeconds(Date.parse(p.endedAt)) + ' (' + duration(p.durationMillis) + ')'
          : ' · ' + relative(Date.parse(p.startedAt) - nowMs)) +
        (p.detail ? ' — ' + p.detail : '')
      : 'has not run in this rollout';
    setText('phase-detail-line', line);
    var versions = $('phase-detail-versions');
    versions.textContent = '';
    (p.versions || []).forEach(function (v) {
      var li = document.createElement('li');
      li.textContent = 'V' + v.version + ' ' + v.description + ' · ' + duration(v.millis);
      versions.appendChild(li);
    });
    setText('phase-detail-output', p.output || '');
    $('phase-rerun').hidden = RERUNNABLE.indexOf(p.state) < 0;
  }

  function onPhaseClick(event) {
    var li = event.target.closest('.phase');
    if (!li) {
      return;
    }
    state.selectedPhase = state.selectedPhase === li.dataset.name ? null : li.dataset.name;
    if (state.status) {
      renderPhases(state.status.phases, state.status.rollout, state.now);
    }
  }

  function rerunSelected() {
    var name = state.selectedPhase;
    if (!name) {
      return;
    }
    $('phase-rerun').disabled = true;
    call('POST', '/phases/' + encodeURIComponent(name) + '/run').then(function (r) {
      if (r.ok && r.body) {
        showResult(true, 're-run started · ' + r.body.started.join(', '));
      } else {
        showResult(false, r.status + (r.body ? ' ' + r.body.error + ': ' + r.body.detail : ''));
      }
    }).catch(function (e) {
      showResult(false, 'admin API unreachable: ' + e.message);
    }).then(function () {
      $('phase-rerun').disabled = false;
      return refresh();
    });
  }

  function renderNextRelease(rollout) {
    var contracted = rollout.state === 'contracted';
    $('next-release-label').hidden = !contracted;
    if (!contracted) {
      $('next-release').checked = false;
    } else {
      setText('next-release-text', 'next release on ' + rollout.old);
    }
  }

  function setConnection(ok, text) {
    $('conn-dot').className = 'dot ' + (ok ? 'dot-live' : 'dot-down');
    setText('conn-text', text);
  }

  /* ---------- history and charts ---------- */

  function sampleOf(status) {
    return {
      t: Date.parse(status.at),
      green: status.split.green,
      blueSessions: status.colors.blue ? status.colors.blue.activeSessions : 0,
      greenSessions: status.colors.green ? status.colors.green.activeSessions : 0,
      blueInFlight: status.colors.blue ? status.colors.blue.inFlight : 0,
      greenInFlight: status.colors.green ? status.colors.green.inFlight : 0
    };
  }

  /*
   * The server's samples and this page's own, in time order: the page's fill the gaps between the
   * server's (two ramps seconds apart both show, though the server samples less often).
   */
  function samples() {
    var seen = {};
    return state.server.concat(state.live)
      .filter(function (s) { return seen[s.t] ? false : (seen[s.t] = true); })
      .sort(function (a, b) { return a.t - b.t; });
  }

  function drawCharts() {
    var all = samples();
    var to = Math.max(state.now, all.length ? all[all.length - 1].t : 0);
    var from = to - HOUR_MS;
    var marks = [];
    for (var i = 1; i < all.length; i++) {
      if (all[i].green !== all[i - 1].green) {
        marks.push({ t: all[i].t, label: 'green ' + all[i].green + ' %' });
      }
    }
    function series(key, name, cls) {
      return { name: name, cls: cls, values: all.map(function (s) { return [s.t, s[key]]; }) };
    }
    TealChart.draw($('chart-sessions'), {
      from: from, to: to, marks: marks,
      series: [series('blueSessions', 'blue', 'blue'), series('greenSessions', 'green', 'green')]
    });
    TealChart.draw($('chart-inflight'), {
      from: from, to: to, marks: marks.map(function (m) { return { t: m.t, label: '' }; }),
      series: [series('blueInFlight', 'blue', 'blue'), series('greenInFlight', 'green', 'green')]
    });
  }

  function loadHistory() {
    return call('GET', '/history').then(function (r) {
      if (!r.ok || !r.body) {
        return;
      }
      var cols = r.body.columns;
      state.server = r.body.samples.map(function (row) {
        var s = {};
        cols.forEach(function (c, i) { s[c] = row[i]; });
        return s;
      });
      var cutoff = state.now - HOUR_MS;
      state.live = state.live.filter(function (s) { return s.t > cutoff; });
      drawCharts();
    }).catch(function () { /* the status poll reports the connection */ });
  }

  /* ---------- polling ---------- */

  function refresh() {
    return call('GET', '/status').then(function (r) {
      if (r.ok && r.body) {
        render(r.body);
        state.live.push(sampleOf(r.body));
        drawCharts();
        setConnection(true, 'live · ' + TealChart.clockSeconds(Date.parse(r.body.at)));
      } else if (r.status === 401) {
        setConnection(false, 'token needed');
      } else {
        setConnection(false, 'status ' + r.status + (r.body && r.body.detail ? ': ' + r.body.detail : ''));
      }
    }).catch(function () {
      setConnection(false, 'disconnected · retrying');
    });
  }

  function pollStatus() {
    if (state.streaming) {
      return;
    }
    refresh().then(function () {
      if (!state.streaming) {
        setTimeout(pollStatus, POLL_MS);
      }
    });
  }

  /*
   * Server-sent events from GET /events, read through fetch (EventSource cannot send the admin token):
   * each event is the whole /status view, pushed when it changes. When the stream cannot start or
   * breaks, the page polls /status every second and tries the stream again a little later.
   */
  function stream() {
    if (!window.ReadableStream || !window.TextDecoder) {
      pollStatus();
      return;
    }
    var tokenUsed = state.token;
    fetch('/events', { headers: headers(), cache: 'no-store', credentials: 'omit' }).then(function (res) {
      if (!res.ok || !res.body) {
        if (res.status === 401 && tokenUsed === state.token) {
          $('token-bar').hidden = false;
          setConnection(false, 'token needed');
        }
        throw new Error('status ' + res.status);
      }
      state.streaming = true;
      var reader = res.body.getReader();
      var decoder = new TextDecoder();
      var buffer = '';
      function read() {
        return reader.read().then(function (chunk) {
          if (chunk.done) {
            throw new Error('stream ended');
          }
          buffer += decoder.decode(chunk.value, { stream: true });
          var end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            onEvent(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
          return read();
        });
      }
      return read();
    }).catch(function () {
      var wasStreaming = state.streaming;
      state.streaming = false;
      pollStatus();
      setTimeout(stream, wasStreaming ? STREAM_RETRY_MS : STREAM_RETRY_MS * 3);
    });
  }

  function onEvent(text) {
    var data = text.split('\n')
      .filter(function (line) { return line.indexOf('data:') === 0; })
      .map(function (line) { return line.slice(5).replace(/^ /, ''); })
      .join('\n');
    if (!data) {
      return; // a heartbeat
    }
    var status;
    try {
      status = JSON.parse(data);
    } catch (e) {
      return;
    }
    render(status);
    state.live.push(sampleOf(status));
    drawCharts();
    setConnection(true, 'live · pushed ' + TealChart.clockSeconds(Date.parse(status.at)));
  }

  function pollHistory() {
    loadHistory().then(function () { setTimeout(pollHistory, HISTORY_MS); });
  }

  /* ---------- ramping ---------- */

  function showResult(ok, text) {
    state.lastRamp = null;
    var node = $('ramp-result');
    node.className = 'ramp-result ' + (ok ? 'ok' : 'err');
    node.textContent = text;
  }

  var UNDER_WAY = ['pending', 'queued', 'running'];

  /*
   * The line under the ramp buttons: the last ramp's changes, where a phase the ramp started in the
   * background says how it ended once the timeline shows it ended (not "started" forever).
   */
  function renderRampResult() {
    var ramp = state.lastRamp;
    if (!ramp) {
      return;
    }
    var phases = state.status ? state.status.phases : [];
    var failed = false;
    var changes = ramp.changes.map(function (change) {
      var started = ramp.started.filter(function (name) {
        return change.indexOf('phase ' + name + ' (') === 0 && /: started$/.test(change);
      })[0];
      var now = started && phases.filter(function (p) { return p.name === started; })[0];
      if (!now || UNDER_WAY.indexOf(now.state) >= 0) {
        return change;
      }
      failed = failed || now.state !== 'succeeded';
      return change.replace(/: started$/, ': ' + (PHASE_STATES[now.state] || now.state) +
        (now.durationMillis !== null ? ' in ' + duration(now.durationMillis) : '') +
        (now.detail && now.state !== 'succeeded' ? ': ' + now.detail : ''));
    });
    var node = $('ramp-result');
    node.className = 'ramp-result ' + (failed ? 'err' : 'ok');
    setText('ramp-result', (ramp.applied ? 'applied · ' : 'dry run · ') +
      (changes.length ? changes.join(' · ') : 'no change'));
  }

  function ramp(green, force) {
    if (state.ramping) {
      return;
    }
    state.ramping = true;
    setButtonsDisabled(true);
    var nextRelease = !$('next-release-label').hidden && $('next-release').checked;
    var path = '/ramp?green=' + green + (force ? '&force=true' : '') + (nextRelease ? '&next-release=true' : '');
    call('POST', path).then(function (r) {
      if (r.ok && r.body) {
        state.lastRamp = {
          applied: r.body.applied,
          changes: r.body.changes,
          started: (r.body.phases || [])
            .filter(function (p) { return p.status === 'started'; })
            .map(function (p) { return p.name; })
        };
        renderRampResult();
      } else if (r.body && r.body.error) {
        showResult(false, r.status + ' ' + r.body.error + ': ' + r.body.detail);
        if (r.body.phase) {
          // The phase that refused the step: open its output.
          state.selectedPhase = r.body.phase.name;
        }
      } else {
        showResult(false, 'HTTP ' + r.status);
      }
    }).catch(function (e) {
      showResult(false, 'admin API unreachable: ' + e.message);
    }).then(function () {
      state.ramping = false;
      setButtonsDisabled(false);
      return refresh();
    }).then(loadHistory);
  }

  function setButtonsDisabled(disabled) {
    var force = $('force').checked;
    var buttons = document.querySelectorAll('.ramp-btn');
    for (var i = 0; i < buttons.length; i++) {
      var g = Number(buttons[i].dataset.green);
      buttons[i].disabled = disabled || (force && g !== 0 && g !== 100);
      buttons[i].title = force && g !== 0 && g !== 100 ? 'force needs a ramp to 0 or 100 %' : '';
    }
  }

  function confirmForce(green) {
    var from = green === 100 ? 'blue' : 'green';
    var to = green === 100 ? 'green' : 'blue';
    $('confirm-title').textContent = 'Force every session to ' + to + '?';
    $('confirm-text').textContent = 'New sessions: green ' + green + ' %. Every session pinned to ' + from +
      ' moves to ' + to + ' on its next request instead of finishing on ' + from +
      '. Use it for an emergency rollback; users may lose state kept only on ' + from + '.';
    var modal = $('confirm');
    modal.hidden = false;
    $('confirm-cancel').focus();
    return new Promise(function (resolve) {
      function done(answer) {
        modal.hidden = true;
        $('confirm-ok').removeEventListener('click', yes);
        $('confirm-cancel').removeEventListener('click', no);
        resolve(answer);
      }
      function yes() { done(true); }
      function no() { done(false); }
      $('confirm-ok').addEventListener('click', yes);
      $('confirm-cancel').addEventListener('click', no);
    });
  }

  function onRampClick(event) {
    var button = event.target.closest('.ramp-btn');
    if (!button) {
      return;
    }
    var green = Number(button.dataset.green);
    if ($('force').checked) {
      confirmForce(green).then(function (yes) {
        if (yes) {
          ramp(green, true);
        }
      });
    } else {
      ramp(green, false);
    }
  }

  /* ---------- start ---------- */

  function start() {
    $('ramp-buttons').addEventListener('click', onRampClick);
    $('phases').addEventListener('click', onPhaseClick);
    $('phase-rerun').addEventListener('click', rerunSelected);
    $('force').addEventListener('change', function () { setButtonsDisabled(state.ramping); });
    $('token-save').addEventListener('click', function () {
      state.token = $('token-input').value.trim();
      sessionStorage.setItem(TOKEN_KEY, state.token);
      $('token-bar').hidden = true;
      refresh();
      loadHistory();
      if (!state.streaming) {
        stream();
      }
    });
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && !$('confirm').hidden) {
        $('confirm-cancel').click();
      }
    });
    window.addEventListener('resize', drawCharts);
    drawCharts();
    stream();
    pollHistory();
  }

  start();
})();
