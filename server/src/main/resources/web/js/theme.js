// Light or dark: the system's choice (prefers-color-scheme) unless the user picked one, which is kept in
// localStorage. The theme shown is always set as data-theme on <html> (so app.css defines the dark colours once). A classic script loaded in <head>, so the page never flashes the
// wrong theme; main.js uses window.latheTheme to toggle.
(function () {
    var KEY = 'lathe.theme';
    var media = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;

    function stored() {
        try { return localStorage.getItem(KEY); } catch (e) { return null; }
    }

    function effective() {
        var choice = stored();
        if (choice === 'light' || choice === 'dark') return choice;
        return media && media.matches ? 'dark' : 'light';
    }

    function apply() {
        var dark = effective() === 'dark';
        document.documentElement.setAttribute('data-theme', dark ? 'dark' : 'light');
        // highlight.js ships one stylesheet per theme; enable the matching one
        var light = document.getElementById('hljs-light');
        var darkSheet = document.getElementById('hljs-dark');
        if (light) light.media = dark ? 'not all' : 'all';
        if (darkSheet) darkSheet.media = dark ? 'all' : 'not all';
    }

    window.latheTheme = {
        /** 'light' | 'dark': what the page shows now. */
        effective: effective,
        /** Switches to the other theme and remembers it. */
        toggle: function () {
            var next = effective() === 'dark' ? 'light' : 'dark';
            try { localStorage.setItem(KEY, next); } catch (e) { /* private mode: this page only */ }
            apply();
            return next;
        },
        apply: apply,
    };
    apply();
    // the stylesheet links come after this script: apply again once they exist
    document.addEventListener('DOMContentLoaded', apply);
    if (media && media.addEventListener) media.addEventListener('change', apply);
})();
