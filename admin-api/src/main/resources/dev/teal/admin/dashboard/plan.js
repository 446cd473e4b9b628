/* The release plan on the dashboard: the step ladder with the hold's countdown, the last analysis and the
   plan's decisions, from /status's plan (app.js hands each status over), and its buttons. */
(function () {
  'use strict';

  var state = { plan: null, serverOffset: 0 };

  function $(id) {
    return document.getElementById(id);
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) {
      node.className = cls;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function clock(seconds) {
    seconds = Math.max(0, Math.round(seconds));
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    var mm = (h > 0 && m < 10 ? '0' : '') + m;
    return (h > 0 ? h + ':' : '') + mm + ':' + (s < 10 ? '0' : '') + s;
  }

  function hold(seconds) {
    return seconds % 3600 === 0 ? seconds / 3600 + 'h' : seconds % 60 === 0 ? seconds / 60 + 'm' : seconds + 's';
  }

  /* Seconds left of the current step's hold, counted down between polls on the server's clock. */
  function left(plan) {
    if (plan.state === 'running' && plan.holdEndsAt) {
      return (Date.parse(plan.holdEndsAt) - (Date.now() + state.serverOffset)) / 1000;
    }
    return plan.holdLeftSeconds;
  }

  function renderLadder(plan) {
    var ladder = $('plan-ladder');
    ladder.textContent = '';
    plan.ladder.forEach(function (step, i) {
      var li = el('li', 'step step-' + step.state);
      li.appendChild(el('span', 'step-pct', step.percent + ' %'));
      var what = el('span', 'step-what');
      if (i === plan.step - 1 && (step.state === 'holding' || step.state === 'paused')) {
        what.id = 'plan-countdown';
        what.textContent = (step.state === 'paused' ? 'paused, ' : '') + clock(left(plan)) + ' left';
      } else {
        what.textContent = step.state + ' · hold ' + hold(step.holdSeconds);
      }
      li.appendChild(what);
      ladder.appendChild(li);
    });
  }

  function renderAnalysis(plan) {
    var body = $('plan-checks');
    body.textContent = '';
    var a = plan.analysis;
    $('plan-analysis-head').textContent = a
      ? 'analysis: ' + a.result + ' · window ' + a.window.replace('PT', '').toLowerCase() + ' · '
        + a.sessions + ' new sessions on ' + plan['new']
      : 'analysis: none yet at this step';
    (a ? a.checks : []).forEach(function (c) {
      var tr = el('tr', 'check-' + c.result);
      tr.appendChild(el('td', 'check-name', c.check));
      tr.appendChild(el('td', 'check-result', c.result));
      tr.appendChild(el('td', 'check-value', c.value));
      tr.appendChild(el('td', 'check-threshold', c.threshold));
      tr.appendChild(el('td', 'check-why', c.why));
      body.appendChild(tr);
    });
  }

  function renderEvents(plan) {
    var list = $('plan-events');
    list.textContent = '';
    plan.events.slice(0, 6).forEach(function (e) {
      var li = el('li', 'event event-' + e.type);
      li.appendChild(el('span', 'event-at', e.at.substring(11, 19)));
      li.appendChild(el('span', 'event-type', e.type));
      li.appendChild(el('span', 'event-message', e.message));
      list.appendChild(li);
    });
  }

  function renderButtons(plan) {
    var active = plan.state === 'running' || plan.state === 'paused';
    $('plan-start').hidden = active;
    $('plan-pause').hidden = plan.state !== 'running';
    $('plan-resume').hidden = plan.state !== 'paused';
    $('plan-promote').hidden = plan.state !== 'running' || plan.step === plan.steps;
    $('plan-abort').hidden = !active;
  }

  function render(status) {
    var plan = status.plan;
    var panel = $('plan-panel');
    if (!plan || !panel) {
      return;
    }
    state.plan = plan;
    state.serverOffset = Date.parse(status.at) - Date.now();
    panel.hidden = !plan.configured;
    if (!plan.configured) {
      return;
    }
    var pill = $('plan-state');
    pill.textContent = plan.state;
    pill.className = 'pill plan-' + plan.state;
    $('plan-reason').textContent = plan.state === 'running' ? plan.now : plan.reason;
    renderLadder(plan);
    renderAnalysis(plan);
    renderEvents(plan);
    renderButtons(plan);
  }

  function tick() {
    var node = $('plan-countdown');
    if (node && state.plan && state.plan.state === 'running') {
      node.textContent = clock(left(state.plan)) + ' left';
    }
  }

  function act(action) {
    var result = $('plan-result');
    result.textContent = action + '…';
    window.TealAdmin.call('POST', '/rollout/' + action).then(function (r) {
      result.textContent = r.ok ? action + ': ' + r.body.reason : (r.body && r.body.detail) || ('HTTP ' + r.status);
      result.className = 'plan-result ' + (r.ok ? 'ok' : 'err');
      if (r.ok) {
        render({ at: new Date(Date.now() + state.serverOffset).toISOString(), plan: r.body });
      }
    }).catch(function (e) {
      result.textContent = action + ' failed: ' + e;
      result.className = 'plan-result err';
    });
  }

  document.addEventListener('teal:status', function (event) {
    render(event.detail);
  });
  document.addEventListener('DOMContentLoaded', function () {
    ['start', 'pause', 'resume', 'promote', 'abort'].forEach(function (action) {
      $('plan-' + action).addEventListener('click', function () { act(action); });
    });
    setInterval(tick, 1000);
  });
})();
