// The map view of a table with coordinates (resource page, #map). Leaflet (npm `leaflet`,
// BSD-2-Clause) and leaflet.markercluster (MIT) are bundled into the binary like Chart.js.
//
// What the page gives, as data attributes of #map: the REST rows URL with the table's filters
// (data-rows-url, at most data-max rows and the total), the latitude and longitude columns, the
// tile URL template and its attribution (both empty: no tiles), the bundled boundary file and
// the site's province. The map always draws the province's outline from the boundary file, so
// the points mean something when no tile server is configured or reachable; tiles, when set,
// go under it. Every text that comes from data goes into the page as a text node (popups,
// titles) or escaped (attributions, which Leaflet inserts as HTML). Without JavaScript the
// section is a GeoJSON link and the table below.
(function () {
  'use strict';

  var el = document.getElementById('map');
  if (!el || !window.L || !L.markerClusterGroup) return;
  var status = document.getElementById('map-status');

  function say(text) {
    if (status) status.textContent = text;
  }
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  // "Thành phố Huế" and "Thừa Thiên Huế" → "hue" and "thua thien hue": no tone marks, no đ, no
  // "tỉnh"/"thành phố"/"tp." in front.
  function fold(s) {
    return String(s || '')
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[đĐ]/g, 'd')
      .toLowerCase()
      .replace(/^\s*(tinh|thanh pho|tp\.?)\s+/, '')
      .trim();
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(values, k) ? values[k] : m;
    });
  }
  var locale = document.documentElement.lang === 'en' ? 'en-GB' : 'vi-VN';
  function count(n) {
    return Number(n).toLocaleString(locale);
  }

  el.hidden = false;
  // maxZoom on the map itself: without tiles nothing else sets it, and clustering needs it.
  var map = L.map(el, { scrollWheelZoom: false, zoomSnap: 0.5, zoomControl: false, maxZoom: 18 });
  L.control
    .zoom({ zoomInTitle: el.getAttribute('data-text-zoom-in'), zoomOutTitle: el.getAttribute('data-text-zoom-out') })
    .addTo(map);
  // Leaflet names the popup's close button in English; the page's language instead.
  map.on('popupopen', function (e) {
    var close = e.popup.getElement() && e.popup.getElement().querySelector('.leaflet-popup-close-button');
    if (close) close.setAttribute('aria-label', el.getAttribute('data-text-close'));
  });
  map.attributionControl.setPrefix(false);
  map.setView([16.46, 107.59], 9); // Huế, until the outline or the points say better
  var tileUrl = el.getAttribute('data-tile-url');
  if (tileUrl) {
    L.tileLayer(tileUrl, {
      maxZoom: 18,
      subdomains: 'abc',
      attribution: escapeHtml(el.getAttribute('data-tile-attribution') || ''),
    }).addTo(map);
  }

  // The province's administrative units, from the bundled boundary file.
  var outline = null;
  fetch(el.getAttribute('data-boundary-url'))
    .then(function (r) {
      return r.ok ? r.json() : null;
    })
    .then(function (geo) {
      if (!geo || !geo.features) return;
      var wanted = fold(el.getAttribute('data-province'));
      var pick = function (name) {
        return geo.features.filter(function (f) {
          var n = fold(f.properties.name);
          return name && (n === name || n.endsWith(' ' + name));
        });
      };
      var features = pick(wanted);
      if (features.length === 0) features = pick('hue');
      outline = L.geoJSON(
        { type: 'FeatureCollection', features: features },
        { interactive: false, style: { className: 'map-outline', weight: 2, fillOpacity: 0.06 } }
      ).addTo(map);
      map.attributionControl.addAttribution(escapeHtml(el.getAttribute('data-boundary-attribution')));
      if (!points || points.getLayers().length === 0) map.fitBounds(outline.getBounds());
    })
    .catch(function () {});

  // The rows the table's filters select, as clustered markers with a popup each.
  var points = null;
  var lat = el.getAttribute('data-lat');
  var lon = el.getAttribute('data-lon');
  say(el.getAttribute('data-text-loading'));
  fetch(el.getAttribute('data-rows-url'), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
    .then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    })
    .then(function (data) {
      var fields = (data.fields || []).filter(function (f) {
        return f.name !== '_id';
      });
      var labelField = fields.find(function (f) {
        return f.type === 'string' && f.name !== lat && f.name !== lon;
      });
      points = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
      var placed = 0;
      (data.rows || []).forEach(function (row) {
        var y = Number(row[lat]);
        var x = Number(row[lon]);
        if (row[lat] === null || row[lon] === null || !isFinite(y) || !isFinite(x)) return;
        var title = labelField && row[labelField.name] != null ? String(row[labelField.name]) : '';
        var marker = L.marker([y, x], {
          icon: L.divIcon({ className: 'map-pin', iconSize: [16, 16] }),
          title: title || el.getAttribute('data-text-point'),
          keyboard: true,
        });
        marker.bindPopup(function () {
          var table = document.createElement('table');
          table.className = 'map-popup';
          fields.forEach(function (f) {
            var v = row[f.name];
            if (v === null || v === undefined || v === '') return;
            var tr = table.insertRow();
            var th = document.createElement('th');
            th.scope = 'row';
            th.textContent = f.title || f.name;
            tr.appendChild(th);
            tr.insertCell().textContent = typeof v === 'object' ? JSON.stringify(v) : String(v);
          });
          return table;
        });
        points.addLayer(marker);
        placed++;
      });
      map.addLayer(points);
      if (placed > 0) map.fitBounds(points.getBounds(), { padding: [20, 20], maxZoom: 15 });
      else if (outline) map.fitBounds(outline.getBounds());
      var total = typeof data.total === 'number' ? data.total : placed;
      var text;
      if (placed === 0) text = el.getAttribute('data-text-none');
      else if (total > (data.rows || []).length)
        text = fill(el.getAttribute('data-text-capped'), { shown: count(placed), total: count(total) });
      else text = fill(el.getAttribute('data-text-shown'), { shown: count(placed) });
      say(text);
      el.setAttribute('data-points', String(placed));
    })
    .catch(function () {
      say(el.getAttribute('data-text-error'));
    });
})();
