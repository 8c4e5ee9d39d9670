// ODP's own script: small enhancements on top of pages that work without it.
//  - upload forms ([data-upload]) send with a progress bar and can be retried after a failure;
//  - forms with [data-confirm] ask before a destructive action;
//  - buttons with [data-copy] copy the text of the element they name;
//  - selects with [data-autosubmit] submit their form on change.
(function () {
  'use strict';

  function uploadWithProgress(form, event) {
    var fileInput = form.querySelector('input[type=file]');
    if (!window.FormData || !window.XMLHttpRequest) return;
    event.preventDefault();
    var progress = form.querySelector('progress');
    var status = form.querySelector('.upload-status');
    var button = form.querySelector('button[type=submit]');
    var lang = document.documentElement.lang;
    var text = lang === 'en'
      ? { sending: 'Uploading… ', done: 'Upload complete, saving…', failed: 'Upload failed. Check the connection and press the button again to retry.' }
      : { sending: 'Đang tải lên… ', done: 'Đã tải xong, đang lưu…', failed: 'Tải lên thất bại. Kiểm tra kết nối rồi bấm nút lần nữa để thử lại.' };
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.upload.addEventListener('progress', function (e) {
      if (!e.lengthComputable) return;
      var pct = Math.round((e.loaded / e.total) * 100);
      if (progress) { progress.hidden = false; progress.value = pct; }
      if (status) status.textContent = text.sending + pct + '%';
    });
    xhr.upload.addEventListener('load', function () { if (status) status.textContent = text.done; });
    xhr.addEventListener('load', function () {
      // The server answers with a redirect (followed by the browser) or a page with errors.
      if (xhr.status >= 200 && xhr.status < 300 && xhr.responseURL && xhr.responseURL !== form.action) {
        window.location.assign(xhr.responseURL);
        return;
      }
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener('error', function () {
      if (status) status.textContent = text.failed;
      if (button) button.disabled = false;
    });
    xhr.addEventListener('abort', function () {
      if (status) status.textContent = text.failed;
      if (button) button.disabled = false;
    });
    if (button) button.disabled = true;
    if (progress) { progress.hidden = false; progress.value = 0; }
    xhr.send(new FormData(form));
    return fileInput;
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var question = form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (form.hasAttribute('data-upload')) uploadWithProgress(form, event);
  });

  document.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('[data-copy]') : null;
    if (!button) return;
    var source = document.getElementById(button.getAttribute('data-copy'));
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      var old = button.textContent;
      button.textContent = document.documentElement.lang === 'en' ? 'Copied' : 'Đã chép';
      setTimeout(function () { button.textContent = old; }, 1500);
    });
  });

  document.addEventListener('change', function (event) {
    var el = event.target;
    if (el.matches && el.matches('select[data-autosubmit]') && el.form) {
      if (el.form.requestSubmit) el.form.requestSubmit(); else el.form.submit();
    }
  });
})();
