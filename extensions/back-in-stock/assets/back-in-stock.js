/* Replenish back-in-stock block. No framework, no dependencies: it follows the selected variant and,
 * only when that variant is sold out, shows the form and asks the app proxy for an expected ship date. */
(function () {
  'use strict';

  function init(root) {
    if (root.bisReady) return;
    root.bisReady = true;
    var d = root.dataset;
    var base = d.proxy || '/apps/back-in-stock';
    var form = root.querySelector('[data-bis-form]');
    var status = root.querySelector('[data-bis-status]');
    var etaEl = root.querySelector('[data-bis-eta]');
    var button = form.querySelector('button');
    var buttonText = button.textContent;
    var available = {};
    var etas = {};
    var current = null;
    var busy = false;

    try {
      JSON.parse(root.querySelector('[data-bis-variants]').textContent).forEach(function (v) {
        available[String(v.id)] = !!v.available;
      });
    } catch (e) {
      return; // no variant data: leave the block as rendered
    }

    function method() {
      var checked = form.querySelector('[name=contact_type]:checked');
      return checked ? checked.value : 'EMAIL';
    }

    function field() {
      return form.querySelector(method() === 'SMS' ? '[name=phone]' : '[name=email]');
    }

    function say(message, isError) {
      status.textContent = message;
      status.classList.toggle('bis__status--error', !!isError);
    }

    function renderEta() {
      var text = etas[current];
      etaEl.textContent = text || '';
      etaEl.hidden = !text;
    }

    function loadEta(id) {
      if (id in etas) return renderEta();
      etas[id] = '';
      fetch(base + '/eta?variant=' + encodeURIComponent(id), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          etas[id] = (data && data.ok && data.message) || '';
          if (id === current) renderEta();
        })
        .catch(function () { /* the ETA is a bonus; the form works without it */ });
    }

    function select(id) {
      id = id == null ? '' : String(id);
      if (!(id in available) || id === current) return;
      current = id;
      var soldOut = !available[id];
      root.hidden = !soldOut;
      if (!soldOut) return;
      form.hidden = false;
      say('');
      renderEta();
      loadEta(id);
    }

    form.addEventListener('change', function (e) {
      if (e.target.name !== 'contact_type') return;
      var m = method();
      Array.prototype.forEach.call(form.querySelectorAll('[data-bis-field]'), function (f) {
        f.hidden = f.getAttribute('data-bis-field') !== m;
      });
    });

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (busy) return;
      var input = field();
      var sms = method() === 'SMS';
      input.value = input.value.trim();
      // Browsers accept dotless domains (a@b); shoppers mean a real address, so ask for a dot too.
      if (!input.value || !input.checkValidity() || (!sms && !/^[^\s@]+@[^\s@]+\.[^\s@.]{2,}$/.test(input.value))) {
        input.setAttribute('aria-invalid', 'true');
        say(sms ? d.invalidPhone : d.invalidEmail, true);
        input.focus();
        return;
      }
      input.removeAttribute('aria-invalid');
      var body = new URLSearchParams();
      body.set('contact_type', method());
      body.set(sms ? 'phone' : 'email', input.value);
      body.set('consent_text', form.querySelector('[data-bis-consent]').textContent.trim());
      if (d.locale) body.set('locale', d.locale);
      busy = true;
      button.disabled = true;
      button.textContent = d.sending || buttonText;
      var ok = false;
      fetch(base + '/subscribe?variant=' + encodeURIComponent(current), {
        method: 'POST',
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
        body: body
      })
        .then(function (r) {
          return r.json().catch(function () { return { ok: false, message: d.networkError }; });
        })
        .then(function (data) {
          ok = !!data.ok;
          say(data.message || d.networkError, !ok);
          if (ok) form.hidden = true;
          else if (/email|phone|number/i.test(data.message || '')) input.setAttribute('aria-invalid', 'true');
        }, function () {
          say(d.networkError, true);
        })
        .then(function () {
          busy = false;
          button.disabled = false;
          button.textContent = buttonText;
          // The result is announced by the live region; moving focus there helps screen-magnifier users too.
          status.focus();
          if (!ok && input.getAttribute('aria-invalid')) input.focus();
        });
    });

    // The variant picker: themes differ, so listen to every common signal and ignore repeats.
    var scope = root.closest('.shopify-section, section, main') || document;
    function idInput() {
      return scope.querySelector('form[action*="/cart/add"] [name=id]') || document.querySelector('form[action*="/cart/add"] [name=id]');
    }
    function fromUrl() {
      var v = new URLSearchParams(location.search).get('variant');
      if (v) select(v);
    }
    function fromInput() {
      var input = idInput();
      if (input) select(input.value);
    }
    function fromEvent(e) {
      var x = e.detail || {};
      var v = x.variant || (x.resource) || x;
      select(v && (v.id || x.variantId || x.id));
    }
    ['variant:change', 'variant:changed', 'variantChange', 'product:variant-change', 'on:variant:change'].forEach(function (name) {
      document.addEventListener(name, fromEvent);
    });
    document.addEventListener('change', function (e) {
      var t = e.target;
      if (!t || root.contains(t)) return; // typing in our own form never changes the variant
      if (t.name === 'id' && t.closest && t.closest('form[action*="/cart/add"]')) select(t.value);
      else setTimeout(fromInput, 0); // option pickers update the hidden id input after their own change
    });
    ['pushState', 'replaceState'].forEach(function (k) {
      var original = history[k];
      history[k] = function () {
        var result = original.apply(this, arguments);
        setTimeout(fromUrl, 0);
        return result;
      };
    });
    window.addEventListener('popstate', fromUrl);

    select(d.variant);
    fromUrl();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-bis]'), init);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
  // Theme editor: blocks re-render without a page load.
  document.addEventListener('shopify:section:load', start);
})();
