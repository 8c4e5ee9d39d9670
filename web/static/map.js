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
//
// A resource whose file is GeoJSON gives data-geojson-url (the download route) instead of the
// rows URL, with data-max-bytes and data-max-features: the file is fetched, checked (size, JSON,
// a FeatureCollection, a Feature or a bare geometry, the feature count) and its points
// (clustered), lines and polygons drawn, each with a popup of its properties as text. A file
// past a limit or not GeoJSON is not drawn; the status line says why and the download stays.
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
      if (!points || points.getLayers().length === 0) map.fitBounds(outline.getBounds(), { animate: false });
    })
    .catch(function () {});

  // A popup of name → value pairs, every one a text node.
  function popupTable(pairs) {
    var table = document.createElement('table');
    table.className = 'map-popup';
    pairs.forEach(function (kv) {
      var v = kv[1];
      if (v === null || v === undefined || v === '') return;
      var tr = table.insertRow();
      var th = document.createElement('th');
      th.scope = 'row';
      th.textContent = kv[0];
      tr.appendChild(th);
      tr.insertCell().textContent = typeof v === 'object' ? JSON.stringify(v) : String(v);
    });
    return table;
  }
  function pin(latlng, title) {
    return L.marker(latlng, {
      icon: L.divIcon({ className: 'map-pin', iconSize: [16, 16] }),
      title: title || el.getAttribute('data-text-point'),
      keyboard: true,
    });
  }

  var points = null;
  var geoUrl = el.getAttribute('data-geojson-url');
  if (geoUrl) {
    drawGeoJson(geoUrl);
    return;
  }

  // The features of a GeoJSON file: points clustered, lines and polygons drawn as shapes.
  function drawGeoJson(url) {
    var maxBytes = Number(el.getAttribute('data-max-bytes')) || 0;
    var maxFeatures = Number(el.getAttribute('data-max-features')) || 0;
    var fail = function (key, values) {
      say(fill(el.getAttribute(key), values || {}));
      el.setAttribute('data-features', '0');
    };
    say(el.getAttribute('data-text-loading'));
    fetch(url, { credentials: 'same-origin' })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        var length = Number(r.headers.get('Content-Length'));
        if (maxBytes && length > maxBytes) return { tooBig: true };
        return r.text().then(function (text) {
          return { text: text };
        });
      })
      .then(function (got) {
        if (got.tooBig || (maxBytes && got.text.length > maxBytes)) {
          return fail('data-text-too-big', { max: count(maxBytes / 1048576) + ' MB' });
        }
        var geo;
        try {
          geo = JSON.parse(got.text);
        } catch (e) {
          return fail('data-text-invalid');
        }
        var features = null;
        if (geo && geo.type === 'FeatureCollection' && Array.isArray(geo.features)) features = geo.features;
        else if (geo && geo.type === 'Feature') features = [geo];
        else if (geo && typeof geo.type === 'string' && (geo.coordinates || geo.geometries))
          features = [{ type: 'Feature', properties: {}, geometry: geo }];
        if (!features) return fail('data-text-invalid');
        if (maxFeatures && features.length > maxFeatures) {
          return fail('data-text-too-many', { total: count(features.length), max: count(maxFeatures) });
        }
        var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
        var shapes = L.featureGroup();
        var placed = 0;
        features.forEach(function (f) {
          if (!f || typeof f !== 'object' || !f.geometry || typeof f.geometry !== 'object') return;
          var props = f.properties && typeof f.properties === 'object' ? f.properties : {};
          var pairs = Object.keys(props).map(function (k) {
            return [k, props[k]];
          });
          var nameKey = ['name', 'ten', 'title', 'tên'].find(function (k) {
            return typeof props[k] === 'string';
          });
          var title = nameKey ? props[nameKey] : '';
          var layer;
          try {
            layer = L.geoJSON(f, {
              pointToLayer: function (feature, latlng) {
                return pin(latlng, title);
              },
              style: { className: 'map-shape', weight: 3, fillOpacity: 0.2 },
            });
          } catch (e) {
            return; // coordinates Leaflet cannot read: this feature is left out
          }
          var valid = true;
          layer.eachLayer(function (l) {
            var b = l.getLatLng ? L.latLngBounds([l.getLatLng()]) : l.getBounds();
            if (!b.isValid()) valid = false;
          });
          if (!valid || layer.getLayers().length === 0) return;
          layer.eachLayer(function (l) {
            l.bindPopup(function () {
              return popupTable(pairs);
            });
            if (l instanceof L.Marker) cluster.addLayer(l);
            else shapes.addLayer(l);
          });
          placed++;
        });
        map.addLayer(shapes);
        map.addLayer(cluster);
        points = L.featureGroup([shapes, cluster]);
        var bounds = L.latLngBounds([]);
        if (shapes.getLayers().length) bounds.extend(shapes.getBounds());
        if (cluster.getLayers().length) bounds.extend(cluster.getBounds());
        // Not animated: Leaflet ignores a view asked for while a zoom animation runs.
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15, animate: false });
        else if (outline) map.fitBounds(outline.getBounds(), { animate: false });
        say(fill(el.getAttribute(placed ? 'data-text-shown' : 'data-text-none'), { shown: count(placed) }));
        el.setAttribute('data-features', String(placed));
      })
      .catch(function () {
        fail('data-text-error');
      });
  }

  // The rows the table's filters select, as clustered markers with a popup each.
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
        var marker = pin([y, x], title);
        marker.bindPopup(function () {
          return popupTable(
            fields.map(function (f) {
              return [f.title || f.name, row[f.name]];
            })
          );
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
