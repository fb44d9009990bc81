import type { View } from '@slack/types';
import type { SlackMessage } from '../../src/slack/blocks.js';

/**
 * Checks a message, a modal or a Home tab against Slack's Block Kit limits, recursively, and throws naming the exact path of
 * the first violation (e.g. `blocks[3].elements[0].confirm.text.text: 312 characters, at most 300`). Unknown
 * block or element types fail too, so a builder cannot slip a new kind of block past the check.
 * @see https://docs.slack.dev/reference/block-kit/blocks
 */
export function assertWithinBlockKitLimits(message: SlackMessage | View): void {
  const root = message as unknown as Record<string, unknown>;
  if (root.type === 'home') {
    if (root.private_metadata !== undefined) string(root.private_metadata, 'private_metadata', 0, 3000);
    if (root.callback_id !== undefined) string(root.callback_id, 'callback_id', 1, 255);
    blocks(root.blocks, 100);
  } else if (root.type === 'modal') {
    textObject(root.title, 'title', 24, 'plain_text');
    if (root.submit !== undefined) textObject(root.submit, 'submit', 24, 'plain_text');
    if (root.close !== undefined) textObject(root.close, 'close', 24, 'plain_text');
    if (root.private_metadata !== undefined) string(root.private_metadata, 'private_metadata', 0, 3000);
    if (root.callback_id !== undefined) string(root.callback_id, 'callback_id', 1, 255);
    blocks(root.blocks, 100);
    const hasInput = (root.blocks as Record<string, unknown>[]).some((b) => b.type === 'input');
    if (hasInput && root.submit === undefined)
      fail('submit', 'a modal with an input block needs a submit button');
  } else {
    string(root.text, 'text', 1, 40_000);
    if (typeof root.text === 'string' && root.text.trim() === '') fail('text', 'the fallback text is blank');
    blocks(root.blocks, 50);
  }
}

function fail(path: string, problem: string): never {
  throw new Error(`Block Kit limit violated at ${path}: ${problem}`);
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'not an object');
  return value as Record<string, unknown>;
}

function array(value: unknown, path: string, min: number, max: number): unknown[] {
  if (!Array.isArray(value)) fail(path, 'not an array');
  if (value.length < min) fail(path, `${value.length} items, at least ${min}`);
  if (value.length > max) fail(path, `${value.length} items, at most ${max}`);
  return value;
}

function string(value: unknown, path: string, min: number, max: number): string {
  if (typeof value !== 'string') fail(path, `not a string (${typeof value})`);
  if (value.length < min) fail(path, `${value.length} characters, at least ${min}`);
  if (value.length > max) fail(path, `${value.length} characters, at most ${max}`);
  return value;
}

function textObject(value: unknown, path: string, max: number, only?: 'plain_text' | 'mrkdwn'): void {
  const text = object(value, path);
  if (text.type !== 'plain_text' && text.type !== 'mrkdwn')
    fail(`${path}.type`, `unknown text type ${text.type}`);
  if (only && text.type !== only) fail(`${path}.type`, `${text.type}, must be ${only}`);
  string(text.text, `${path}.text`, 1, max);
}

function blocks(value: unknown, max: number): void {
  const list = array(value, 'blocks', 0, max);
  const blockIds = new Set<string>();
  list.forEach((raw, i) => {
    const path = `blocks[${i}]`;
    const block = object(raw, path);
    if (block.block_id !== undefined) {
      const id = string(block.block_id, `${path}.block_id`, 1, 255);
      if (blockIds.has(id)) fail(`${path}.block_id`, `duplicate block_id ${id}`);
      blockIds.add(id);
    }
    checkBlock(block, path);
  });
}

function checkBlock(block: Record<string, unknown>, path: string): void {
  switch (block.type) {
    case 'section': {
      if (block.text === undefined && block.fields === undefined)
        fail(path, 'a section needs text or fields');
      if (block.text !== undefined) textObject(block.text, `${path}.text`, 3000);
      if (block.fields !== undefined) {
        array(block.fields, `${path}.fields`, 1, 10).forEach((f, j) => {
          textObject(f, `${path}.fields[${j}]`, 2000);
        });
      }
      if (block.accessory !== undefined) element(block.accessory, `${path}.accessory`, new Set());
      return;
    }
    case 'header':
      textObject(block.text, `${path}.text`, 150, 'plain_text');
      return;
    case 'context':
      array(block.elements, `${path}.elements`, 1, 10).forEach((e, j) => {
        const el = object(e, `${path}.elements[${j}]`);
        if (el.type === 'image') {
          string(el.image_url, `${path}.elements[${j}].image_url`, 1, 3000);
          string(el.alt_text, `${path}.elements[${j}].alt_text`, 1, 2000);
        } else {
          textObject(el, `${path}.elements[${j}]`, 3000);
        }
      });
      return;
    case 'actions': {
      const actionIds = new Set<string>();
      array(block.elements, `${path}.elements`, 1, 25).forEach((e, j) => {
        element(e, `${path}.elements[${j}]`, actionIds);
      });
      return;
    }
    case 'divider':
      return;
    case 'rich_text':
      // Sections, quotes and preformatted runs of literal text elements, as vod-ops uses them for people's words.
      array(block.elements, `${path}.elements`, 1, 100).forEach((e, j) => {
        const container = object(e, `${path}.elements[${j}]`);
        if (
          !['rich_text_section', 'rich_text_quote', 'rich_text_preformatted'].includes(String(container.type))
        ) {
          fail(`${path}.elements[${j}].type`, `rich text element ${String(container.type)} is not checked`);
        }
        array(container.elements, `${path}.elements[${j}].elements`, 1, 100).forEach((t, k) => {
          const text = object(t, `${path}.elements[${j}].elements[${k}]`);
          if (text.type !== 'text')
            fail(`${path}.elements[${j}].elements[${k}].type`, 'only literal text is used');
          string(text.text, `${path}.elements[${j}].elements[${k}].text`, 1, 4000);
        });
      });
      return;
    case 'input':
      textObject(block.label, `${path}.label`, 2000, 'plain_text');
      if (block.hint !== undefined) textObject(block.hint, `${path}.hint`, 2000, 'plain_text');
      element(block.element, `${path}.element`, new Set());
      return;
    default:
      fail(`${path}.type`, `block type ${String(block.type)} is not checked by this validator`);
  }
}

function element(value: unknown, path: string, actionIds: Set<string>): void {
  const el = object(value, path);
  if (el.action_id !== undefined) {
    const id = string(el.action_id, `${path}.action_id`, 1, 255);
    if (actionIds.has(id)) fail(`${path}.action_id`, `duplicate action_id ${id} in one block`);
    actionIds.add(id);
  }
  switch (el.type) {
    case 'button':
      textObject(el.text, `${path}.text`, 75, 'plain_text');
      if (el.value !== undefined) string(el.value, `${path}.value`, 0, 2000);
      if (el.url !== undefined) string(el.url, `${path}.url`, 1, 3000);
      if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') {
        fail(`${path}.style`, `unknown style ${String(el.style)}`);
      }
      if (el.confirm !== undefined) confirm(el.confirm, `${path}.confirm`);
      return;
    case 'plain_text_input': {
      if (el.placeholder !== undefined) textObject(el.placeholder, `${path}.placeholder`, 150, 'plain_text');
      for (const key of ['min_length', 'max_length'] as const) {
        const n = el[key];
        if (n === undefined) continue;
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 3000) {
          fail(`${path}.${key}`, `${String(n)}, must be an integer 0..3000`);
        }
      }
      if (el.initial_value !== undefined) {
        string(
          el.initial_value,
          `${path}.initial_value`,
          0,
          typeof el.max_length === 'number' ? el.max_length : 3000,
        );
      }
      return;
    }
    default:
      fail(`${path}.type`, `element type ${String(el.type)} is not checked by this validator`);
  }
}

function confirm(value: unknown, path: string): void {
  const dialog = object(value, path);
  if (dialog.title !== undefined) textObject(dialog.title, `${path}.title`, 100, 'plain_text');
  textObject(dialog.text, `${path}.text`, 300);
  if (dialog.confirm !== undefined) textObject(dialog.confirm, `${path}.confirm`, 30, 'plain_text');
  if (dialog.deny !== undefined) textObject(dialog.deny, `${path}.deny`, 30, 'plain_text');
  if (dialog.style !== undefined && dialog.style !== 'primary' && dialog.style !== 'danger') {
    fail(`${path}.style`, `unknown style ${String(dialog.style)}`);
  }
}
