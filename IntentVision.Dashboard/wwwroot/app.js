// The dashboard's few browser-side helpers: drag-to-zoom on charts and the time zone cookie.
(() => {
    'use strict';

    const attached = new WeakMap();

    /** The pointer's x in the SVG's own coordinates (the viewBox), whatever size the chart is drawn at. */
    function svgX(svg, clientX) {
        const point = svg.createSVGPoint();
        point.x = clientX;
        point.y = 0;
        return point.matrixTransform(svg.getScreenCTM().inverse()).x;
    }

    function plotOf(svg) {
        const d = svg.dataset;
        return {
            left: +d.plotLeft, width: +d.plotWidth,
            from: +d.fromMs, to: +d.toMs,
        };
    }

    function timeAt(plot, x) {
        const clamped = Math.min(plot.left + plot.width, Math.max(plot.left, x));
        return plot.from + (clamped - plot.left) / plot.width * (plot.to - plot.from);
    }

    window.ivChart = {
        attach(svg, dotnet) {
            if (!svg || attached.has(svg)) {
                return;
            }

            const selection = svg.querySelector('.iv-zoom-selection');
            let start = null;

            const down = e => {
                if (e.button !== 0) {
                    return;
                }

                const plot = plotOf(svg);
                const x = svgX(svg, e.clientX);
                if (x < plot.left || x > plot.left + plot.width) {
                    return;
                }

                start = x;
                svg.setPointerCapture(e.pointerId);
                selection.setAttribute('x', x);
                selection.setAttribute('width', 0);
                selection.setAttribute('visibility', 'visible');
                e.preventDefault();
            };
            const move = e => {
                if (start === null) {
                    return;
                }

                const plot = plotOf(svg);
                const x = Math.min(plot.left + plot.width, Math.max(plot.left, svgX(svg, e.clientX)));
                selection.setAttribute('x', Math.min(start, x));
                selection.setAttribute('width', Math.abs(x - start));
            };
            const up = e => {
                if (start === null) {
                    return;
                }

                const plot = plotOf(svg);
                const end = Math.min(plot.left + plot.width, Math.max(plot.left, svgX(svg, e.clientX)));
                const begin = start;
                start = null;
                selection.setAttribute('visibility', 'hidden');
                // A click or a tiny drag (under 4 units of the 1100-wide chart) is not a zoom.
                if (Math.abs(end - begin) >= 4) {
                    dotnet.invokeMethodAsync('ZoomAsync', timeAt(plot, Math.min(begin, end)), timeAt(plot, Math.max(begin, end)));
                }
            };

            svg.addEventListener('pointerdown', down);
            svg.addEventListener('pointermove', move);
            svg.addEventListener('pointerup', up);
            svg.addEventListener('pointercancel', () => { start = null; selection.setAttribute('visibility', 'hidden'); });
            attached.set(svg, { down, move, up });
            // Says the chart now answers drags (the attach call arrives after the first interactive render).
            svg.dataset.zoomAttached = 'true';
        },

        detach(svg) {
            const handlers = svg && attached.get(svg);
            if (handlers) {
                svg.removeEventListener('pointerdown', handlers.down);
                svg.removeEventListener('pointermove', handlers.move);
                svg.removeEventListener('pointerup', handlers.up);
                attached.delete(svg);
                delete svg.dataset.zoomAttached;
            }
        },
    };

    window.ivTimeZone = {
        /** The browser's IANA time zone, e.g. Europe/Berlin. */
        browserZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',

        /** Remembers the analyst's choice for a year; the server reads it while prerendering. */
        remember(value) {
            document.cookie = `iv-tz=${value}; path=/; max-age=31536000; samesite=lax`;
        },
    };
})();
