// Django's admin, mended where only a script can reach (templates/admin/base_site.html loads it):
// - the two-box picker (filter_horizontal) puts its help in an aria-label on a bare <span>, where ARIA
//   allows none and a screen reader reads nothing: as an image, its words are read with the filter box;
// - a table of inline rows (a request's events) scrolls sideways on a phone, and a box that scrolls
//   must take the focus for a keyboard to scroll it.
// Both are drawn by the page's "load"; Django's pickers are drawn by its own handler of it, so this waits a turn.
"use strict";

function mend() {
    for (const icon of document.querySelectorAll(".selector .search-label-icon[aria-label]:not([role])")) {
        icon.setAttribute("role", "img");
    }
    for (const rows of document.querySelectorAll(".inline-group")) {
        if (rows.scrollWidth > rows.clientWidth) rows.setAttribute("tabindex", "0");
        else rows.removeAttribute("tabindex");
    }
}

window.addEventListener("load", () => setTimeout(mend));
window.addEventListener("resize", mend);
