// What Swagger UI leaves out of reach, mended each time it draws (the page is in English, as the API):
// - its dialog is a bare box, which a screen reader cannot tell from the page under it;
// - the dialog's close button and the copy button under a curl command are icons without a name;
// - a parameter's field, when an operation is tried out, has its name in another cell, not a label;
// - the boxes of examples and answers scroll but take no focus, so a keyboard could not scroll them.
"use strict";

function setOnce(selector, attribute, value) {
    for (const element of document.querySelectorAll(`#swagger-ui ${selector}:not([${attribute}])`)) {
        element.setAttribute(attribute, typeof value === "function" ? value(element) : value);
    }
}

function mend() {
    setOnce(".modal-ux", "role", "dialog");
    setOnce(".modal-ux", "aria-label", (dialog) => dialog.querySelector("h3")?.textContent ?? "Dialog");
    setOnce(".close-modal", "aria-label", "Close");
    setOnce(".copy-to-clipboard > button", "aria-label", "Copy to the clipboard");
    const parameterName = (field) => field.closest("tr[data-param-name]").dataset.paramName;
    for (const kind of ["input", "select", "textarea"]) {
        setOnce(`tr[data-param-name] ${kind}`, "aria-label", parameterName);
    }
    setOnce(".highlight-code > pre", "tabindex", "0");
    setOnce("pre.curl", "tabindex", "0");
}

new MutationObserver(mend).observe(document.getElementById("swagger-ui"), {childList: true, subtree: true});
