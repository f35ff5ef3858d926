// Inline styles set through the CSSOM (element.style), never as a `style` attribute: the page's CSP has no
// 'unsafe-inline' for styles (so model-written Markdown cannot style anything), and that blocks attributes, including
// the one lit's own styleMap writes on first render. Use on an element: html`<span ${cssom({width: '40%'})}>`.
// Property names are CSS names ('width', '--depth'); null or undefined removes one.
import {noChange} from '/vendor/lit-html/lit-html.js';
import {directive, Directive, PartType} from '/vendor/lit-html/directive.js';

class CssomStyle extends Directive {
    constructor(part) {
        super(part);
        if (part.type !== PartType.ELEMENT) throw new Error('cssom() goes on an element, not in an attribute');
        this.names = new Set();
    }

    render() {
        return noChange;
    }

    update(part, [styles]) {
        const style = part.element.style;
        for (const name of this.names) {
            if (styles[name] == null) {
                style.removeProperty(name);
                this.names.delete(name);
            }
        }
        for (const [name, value] of Object.entries(styles)) {
            if (value == null) continue;
            style.setProperty(name, String(value));
            this.names.add(name);
        }
        return noChange;
    }
}

export const cssom = directive(CssomStyle);
