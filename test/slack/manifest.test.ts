import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8'));

describe('manifest.yml', () => {
  it('declares the /vod command and interactivity on the path the server serves', () => {
    expect(manifest.features.slash_commands).toEqual([
      expect.objectContaining({
        command: '/vod',
        url: expect.stringMatching(/^https:\/\/.+\/slack\/events$/),
      }),
    ]);
    expect(manifest.settings.interactivity).toEqual({
      is_enabled: true,
      request_url: expect.stringMatching(/^https:\/\/.+\/slack\/events$/),
    });
  });

  it('turns the Home tab on and subscribes to app_home_opened on the path the server serves', () => {
    expect(manifest.features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
    expect(manifest.settings.event_subscriptions).toEqual({
      request_url: expect.stringMatching(/^https:\/\/.+\/slack\/events$/),
      bot_events: ['app_home_opened'],
    });
  });

  it('asks only for the scopes the app uses', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual([
      'commands',
      'chat:write',
      'usergroups:read',
      'im:write',
    ]);
  });

  it('needs no token rotation, which would require an installation store', () => {
    expect(manifest.settings.token_rotation_enabled).toBe(false);
  });
});
