// The keyboard of the WAI-ARIA tree pattern (https://www.w3.org/WAI/ARIA/apg/patterns/treeview/) for trees whose items
// are siblings that state their aria-level. The focused treeitem is the tree's one tab stop. Up and Down move to the
// previous and next shown item, Home and End to the first and last; Right opens a closed item or moves to its first
// child, Left closes an open item or moves to its parent; Enter and Space open or close. Focus moves here in the
// browser; opening and closing click the item's toggle, so the server decides what is shown. Keys pressed on an action
// inside an item are the action's own.
let listening = false;

export function listen() {
    if (!listening) {
        document.addEventListener('keydown', onKeyDown);
        listening = true;
    }
}

function onKeyDown(event) {
    const item = event.target;
    const tree = item instanceof HTMLElement && item.getAttribute('role') === 'treeitem' ? item.closest('[role=tree]') : null;
    if (!tree || event.altKey || event.ctrlKey || event.metaKey) {
        return;
    }
    const items = [...tree.querySelectorAll('[role=treeitem]')];
    const index = items.indexOf(item);
    const level = Number(item.getAttribute('aria-level'));
    const expanded = item.getAttribute('aria-expanded');
    let target = null;
    switch (event.key) {
        case 'ArrowDown':
            target = items[index + 1];
            break;
        case 'ArrowUp':
            target = items[index - 1];
            break;
        case 'Home':
            target = items[0];
            break;
        case 'End':
            target = items[items.length - 1];
            break;
        case 'ArrowRight':
            if (expanded === 'false') {
                toggle(item);
            } else if (expanded === 'true' && Number(items[index + 1]?.getAttribute('aria-level')) === level + 1) {
                target = items[index + 1];
            }
            break;
        case 'ArrowLeft':
            if (expanded === 'true') {
                toggle(item);
            } else {
                target = items.slice(0, index).findLast(i => Number(i.getAttribute('aria-level')) === level - 1);
            }
            break;
        case 'Enter':
        case ' ':
            if (expanded !== null) {
                toggle(item);
            }
            break;
        default:
            return;
    }
    event.preventDefault();
    if (target) {
        // The server renders the same tab stop once it hears of the focus; set here, Tab is right in between too.
        makeTabStop(item, -1);
        makeTabStop(target, 0);
        target.focus();
    }
}

// An item and its actions are in the tab order together, or not at all.
function makeTabStop(item, tabIndex) {
    item.tabIndex = tabIndex;
    item.querySelectorAll('button').forEach(button => button.tabIndex = tabIndex);
}

function toggle(item) {
    item.querySelector(':scope > .tree-toggle')?.click();
}
