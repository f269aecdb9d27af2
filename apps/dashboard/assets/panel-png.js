// PNG export of one panel: the chart as ECharts draws it, its title above and a caption below that
// names the date range and every filter (from the `export-<panel>` JSON the server wrote), composed
// on a canvas in the browser. The caption is also stored in the file as an iTXt "Description"
// chunk, so it stays machine-readable after the image is pasted elsewhere.
(function () {
  'use strict';
  var crcTable = (function () {
    var table = [];
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table.push(c >>> 0);
    }
    return table;
  })();
  var crc32 = function (bytes) {
    var crc = 0xffffffff;
    for (var i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
  };
  var uint32 = function (value) {
    return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
  };
  // iTXt: keyword, NUL, no compression, NUL method, empty language and translated keyword, UTF-8 text.
  var textChunk = function (keyword, text) {
    var encoder = new TextEncoder();
    var data = [].concat(
      Array.from(encoder.encode(keyword)),
      [0, 0, 0, 0, 0],
      Array.from(encoder.encode(text)),
    );
    var typed = [].concat(Array.from(encoder.encode('iTXt')), data);
    return new Uint8Array([].concat(uint32(data.length), typed, uint32(crc32(typed))));
  };
  // A PNG is its 8-byte signature, then IHDR (25 bytes with length and CRC): text goes right after.
  var withText = function (png, entries) {
    var chunks = entries.map(function (entry) {
      return textChunk(entry[0], entry[1]);
    });
    var extra = chunks.reduce(function (sum, chunk) {
      return sum + chunk.length;
    }, 0);
    var out = new Uint8Array(png.length + extra);
    out.set(png.subarray(0, 33), 0);
    var offset = 33;
    chunks.forEach(function (chunk) {
      out.set(chunk, offset);
      offset += chunk.length;
    });
    out.set(png.subarray(33), offset);
    return out;
  };
  // Greedy wrap on ' · ' separators, then on spaces, to the canvas width.
  var wrap = function (context, text, width) {
    var words = text.split(' ');
    var lines = [];
    var line = '';
    words.forEach(function (word) {
      var next = line === '' ? word : line + ' ' + word;
      if (line !== '' && context.measureText(next).width > width) {
        lines.push(line);
        line = word;
      } else line = next;
    });
    if (line !== '') lines.push(line);
    return lines;
  };
  var font = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';

  /** Composes the image of a panel and resolves with its PNG bytes and file name. */
  var composePanelPng = function (id) {
    var chart = window.reelhouseCharts[id];
    var meta = JSON.parse(document.getElementById('export-' + id).textContent);
    var ratio = 2;
    var source = chart.getDataURL({ type: 'png', pixelRatio: ratio, backgroundColor: '#ffffff' });
    return new Promise(function (resolve, reject) {
      var image = new Image();
      image.onerror = function () {
        reject(new Error('the chart image did not load'));
      };
      image.onload = function () {
        var pad = 16 * ratio;
        var titleSize = 16 * ratio;
        var lineSize = 12 * ratio;
        var lineHeight = Math.round(lineSize * 1.5);
        var canvas = document.createElement('canvas');
        var context = canvas.getContext('2d');
        context.font = '400 ' + lineSize + 'px ' + font;
        var lines = [];
        meta.lines.forEach(function (line) {
          lines = lines.concat(wrap(context, line, image.width - 2 * pad));
        });
        var top = pad + titleSize + pad / 2;
        canvas.width = image.width;
        canvas.height = top + image.height + pad / 2 + lines.length * lineHeight + pad;
        context.fillStyle = '#ffffff';
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.textBaseline = 'top';
        context.fillStyle = '#0f172a';
        context.font = '600 ' + titleSize + 'px ' + font;
        context.fillText(meta.title, pad, pad, image.width - 2 * pad);
        context.drawImage(image, 0, top);
        context.fillStyle = '#334155';
        context.font = '400 ' + lineSize + 'px ' + font;
        lines.forEach(function (line, index) {
          context.fillText(line, pad, top + image.height + pad / 2 + index * lineHeight);
        });
        canvas.toBlob(function (blob) {
          if (!blob) return reject(new Error('the canvas gave no PNG'));
          blob.arrayBuffer().then(function (buffer) {
            var bytes = withText(new Uint8Array(buffer), [
              ['Title', meta.title],
              ['Description', [meta.title].concat(meta.lines).join('\n')],
            ]);
            resolve({ bytes: bytes, fileName: meta.fileName });
          }, reject);
        }, 'image/png');
      };
      image.src = source;
    });
  };

  window.reelhouseComposePanelPng = composePanelPng;
  document.querySelectorAll('[data-png]').forEach(function (button) {
    button.addEventListener('click', function () {
      var id = button.getAttribute('data-png');
      button.disabled = true;
      composePanelPng(id)
        .then(function (result) {
          var url = URL.createObjectURL(new Blob([result.bytes], { type: 'image/png' }));
          var link = document.createElement('a');
          link.href = url;
          link.download = result.fileName;
          document.body.appendChild(link);
          link.click();
          link.remove();
          setTimeout(function () {
            URL.revokeObjectURL(url);
          }, 10000);
        })
        .catch(function (error) {
          button.title = 'PNG export failed: ' + error.message;
        })
        .then(function () {
          button.disabled = false;
        });
    });
  });
})();
