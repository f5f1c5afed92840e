// Who is speaking: three headless Chromium pages on the demo page in one
// room, two in the legacy dialect of the mediasoup-demo protocol (alice,
// bob) and one in the current dialect (carol). The room spans two media
// daemons: with --max-consumers 3, alice (who consumes nothing) and bob are
// placed on daemon A, and carol, who would consume three producers, on
// daemon B; A's producers are piped to B for her. So the controller
// combines the reports of two routers, and piped copies must not be
// measured again. carol is on a second controller, which joins the room
// after alice's and bob's producers were made: it learns their owners from
// their records in Redis. Each page's microphone is replaced by a WebAudio track: a
// tone for the one who speaks, digital silence (-127 dBov) for the others.
//
//   1. alice speaks: bob (legacy) gets activeSpeaker {peerId: alice, volume}
//      and shows her tile as the active speaker; carol (current) gets
//      speakingPeers naming alice, alone, and activeSpeaker {peerId: alice};
//      nobody is ever named who did not speak.
//   2. alice goes quiet: bob gets activeSpeaker {peerId: null}; carol
//      speakingPeers {peerVolumes: []} and activeSpeaker without a peerId;
//      then nothing while the room stays quiet.
//   3. bob speaks (A again): the loudest at once (alice's activeSpeaker),
//      the dominant speaker once A's detector lets him take over from
//      alice (carol's activeSpeaker {peerId: bob}).
//   4. bob goes quiet and carol speaks, on B: the dominant speaker B names
//      takes over at once, as nobody speaks on A.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { randomId, startCluster, waitFor } from './lib/cluster.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { events, openPeer, pageLogs, waitConsumers } from './lib/demo.mjs';
import { decode } from './lib/msgpack.mjs';

let c;
let browser;
const wrap = (fn) => (t) => c.wrap(fn)(t);

before(async () => {
  c = await startCluster('speakers', { controllers: 2, mediads: 2, mediadArgs: ['--max-consumers', '3'] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await c?.stop();
});

// Replaces the page's microphone by a WebAudio oscillator behind a gain
// (made once), then sets the gain: a tone when `on`, digital silence
// otherwise. Returns the page's clock when the gain changed.
async function voice(page, on, freq = 440) {
  return page.evaluate(async ({ on, freq }) => {
    const d = window.braidDemo;
    if (!d.voice) {
      const ctx = new AudioContext();
      const osc = ctx.createOscillator();
      osc.frequency.value = freq;
      const gain = ctx.createGain();
      gain.gain.value = 0;
      const dest = ctx.createMediaStreamDestination();
      osc.connect(gain).connect(dest);
      osc.start();
      await ctx.resume();
      const mic = [...d.producers.values()].find((p) => p.kind === 'audio');
      if (!mic) throw new Error('no audio producer');
      await mic.replaceTrack({ track: dest.stream.getAudioTracks()[0] });
      // Keep every node referenced: an unreferenced destination node may be
      // garbage collected, and its track then carries silence.
      d.voice = { ctx, osc, gain, dest };
    }
    d.voice.gain.gain.value = on ? 0.5 : 0;
    return Date.now();
  }, { on, freq });
}

// The page's notifications of `method` received at or after `since`.
async function eventsSince(page, method, since) {
  return (await events(page, method)).filter((e) => e.at >= since);
}

// Waits until `page` has received a `method` notification since `since`
// for which pred(data) holds; returns it.
async function waitEvent(page, method, since, pred, what, timeoutMs = 15000) {
  return waitFor(async () => (await eventsSince(page, method, since)).find((e) => pred(e.data)), {
    timeoutMs, intervalMs: 200, what: `${page.displayName}: ${what}`,
    detail: async () => JSON.stringify((await events(page)).filter((e) =>
      e.method === 'activeSpeaker' || e.method === 'speakingPeers').slice(-8)),
  });
}

// Waits until the last activeSpeaker `page` received (at any time: the
// dominant speaker may have been named before the tracks were replaced, by
// the fake microphones' beeps, and is not named again while it stays)
// names peerId; returns it.
async function waitDominant(page, peerId, what) {
  return waitFor(async () => {
    const all = await events(page, 'activeSpeaker');
    const last = all[all.length - 1];
    return last?.data.peerId === peerId && last;
  }, { timeoutMs: 15000, intervalMs: 200, what: `${page.displayName}: ${what}`,
       detail: async () => JSON.stringify((await events(page, 'activeSpeaker')).slice(-5)) });
}

const tileClasses = (page, peerId) => page.evaluate((id) => {
  const tile = document.getElementById(`peer-${id}`);
  return tile ? [...tile.classList] : null;
}, peerId);

test('one peer speaks: legacy activeSpeaker, current speakingPeers and activeSpeaker, then silence',
     { timeout: 150000 }, wrap(async (t) => {
  const roomId = randomId(8);
  const pages = [];
  // The daemons' router.volumes / router.dominant_speaker events, as
  // published on the room channel.
  const published = [];
  const sub = await c.redisClient();
  await sub.subscribe(c.key(`room:${roomId}:ev`), (channel, payload) => {
    const ev = decode(payload);
    if (ev.t === 'router.volumes' || ev.t === 'router.dominant_speaker') published.push(ev);
  });
  try {
    // One after the other, so that placement is known (see the top).
    // Video is not needed: closed (alice, so the room has one producer when
    // bob is placed) or paused, to spare the CPU.
    const open = async (displayName, query, ctl = c.controllers[0]) => {
      const page = await openPeer(browser, ctl, { roomId, displayName, query });
      pages.push(page);
      return page;
    };
    const alice = await open('alice', { dialect: 'legacy', consume: 'false' });
    await alice.evaluate(() => window.braidDemo.closeProducer('video'));
    const bob = await open('bob', { dialect: 'legacy' });
    await bob.evaluate(() => window.braidDemo.pauseProducer('video'));
    await waitConsumers(bob, [alice.peerId], { kinds: ['audio'] });
    const carol = await open('carol', { dialect: 'current' }, c.controllers[1]);
    await carol.evaluate(() => window.braidDemo.pauseProducer('video'));
    await waitConsumers(carol, [alice.peerId, bob.peerId], { kinds: ['audio'] });
    const daemonOf = async (page) => (await page.evaluate(() => window.braidDemo.selectedPairs()))[0].remote;
    const [da, db, dc] = [await daemonOf(alice), await daemonOf(bob), await daemonOf(carol)];
    t.diagnostic(`alice on ${da}, bob on ${db}, carol on ${dc}`);
    assert.equal(db, da, 'alice and bob share daemon A');
    assert.notEqual(dc, da, 'carol is on daemon B');

    // Everyone silent, then alice speaks.
    for (const page of pages) await voice(page, false);
    const spoke = await voice(alice, true);
    const named = (e) => e.data.peerId ?? null;

    // 1. The legacy peers hear that alice is the loudest; so does her own page.
    const a1 = await waitEvent(bob, 'activeSpeaker', spoke, (d) => d.peerId === alice.peerId,
                               'activeSpeaker naming alice');
    assert.ok(Number.isInteger(a1.data.volume) && a1.data.volume >= -80 && a1.data.volume <= 0,
              `volume in dBov (${a1.data.volume})`);
    t.diagnostic(`bob: activeSpeaker alice ${a1.at - spoke} ms after she spoke, volume ${a1.data.volume}`);
    await waitEvent(alice, 'activeSpeaker', spoke, (d) => d.peerId === alice.peerId, 'activeSpeaker naming herself');
    // The current-dialect peer hears speakingPeers and the dominant speaker.
    const sp = await waitEvent(carol, 'speakingPeers', spoke,
                               (d) => d.peerVolumes?.[0]?.peerId === alice.peerId, 'speakingPeers naming alice');
    assert.ok(sp.data.peerVolumes[0].volume >= -80 && sp.data.peerVolumes[0].volume <= 0);
    const as = await waitDominant(carol, alice.peerId, 'activeSpeaker (dominant speaker) naming alice');
    t.diagnostic(`carol: speakingPeers ${sp.at - spoke} ms, activeSpeaker ${as.at - spoke} ms after alice spoke (negative: named before)`);
    // A few more reports, then: alice's tile is the active speaker's at bob.
    await waitFor(async () => (await eventsSince(bob, 'activeSpeaker', spoke)).length >= 3,
                  { timeoutMs: 10000, what: 'three activeSpeaker reports at bob' });
    assert.ok((await tileClasses(bob, alice.peerId)).includes('active-speaker'), 'bob shows alice speaking');
    assert.ok((await tileClasses(carol, alice.peerId)).includes('active-speaker'), 'carol shows alice speaking');
    // Nobody silent is ever named once the tracks were replaced (the first
    // reports may still average the fake microphones' beeps: skip 2 s).
    const settled = spoke + 2000;
    for (const page of pages) {
      for (const e of await eventsSince(page, 'activeSpeaker', settled))
        assert.equal(named(e), alice.peerId, `${page.displayName}: activeSpeaker ${JSON.stringify(e.data)}`);
      for (const e of await eventsSince(page, 'speakingPeers', settled))
        assert.deepEqual(e.data.peerVolumes.map((x) => x.peerId), [alice.peerId],
                         `${page.displayName}: speakingPeers ${JSON.stringify(e.data)}`);
    }

    // 2. alice goes quiet.
    const quiet = await voice(alice, false);
    await waitEvent(bob, 'activeSpeaker', quiet, (d) => d.peerId === null, 'activeSpeaker {peerId: null}');
    await waitEvent(alice, 'activeSpeaker', quiet, (d) => d.peerId === null, 'activeSpeaker {peerId: null}');
    await waitEvent(carol, 'speakingPeers', quiet, (d) => d.peerVolumes?.length === 0, 'speakingPeers []');
    await waitEvent(carol, 'activeSpeaker', quiet, (d) => !('peerId' in d), 'activeSpeaker without peerId');
    assert.ok(!(await tileClasses(bob, alice.peerId)).includes('active-speaker'), 'bob no longer shows alice speaking');
    // Silence is said once: no report follows while nobody speaks.
    const silentFrom = Date.now();
    await new Promise((r) => setTimeout(r, 2500));
    for (const page of pages) {
      const after = [...await eventsSince(page, 'activeSpeaker', silentFrom),
                     ...await eventsSince(page, 'speakingPeers', silentFrom)];
      assert.deepEqual(after, [], `${page.displayName}: nothing while the room is quiet`);
    }

    // 3. bob speaks: the loudest at once, the dominant speaker after the
    // detector's hold (alice's activity has decayed by now).
    const bobSpoke = await voice(bob, true, 660);
    await waitEvent(alice, 'activeSpeaker', bobSpoke, (d) => d.peerId === bob.peerId, 'activeSpeaker naming bob');
    const dom = await waitDominant(carol, bob.peerId, 'activeSpeaker (dominant speaker) naming bob');
    t.diagnostic(`carol: bob dominant ${dom.at - bobSpoke} ms after he spoke`);
    await waitEvent(carol, 'speakingPeers', bobSpoke, (d) => d.peerVolumes?.[0]?.peerId === bob.peerId,
                    'speakingPeers naming bob');

    // 4. bob goes quiet, then carol speaks on the other daemon.
    const bobQuiet = await voice(bob, false);
    await waitEvent(alice, 'activeSpeaker', bobQuiet, (d) => d.peerId === null, 'activeSpeaker {peerId: null}');
    const carolSpoke = await voice(carol, true, 550);
    for (const page of [alice, bob])
      await waitEvent(page, 'activeSpeaker', carolSpoke, (d) => d.peerId === carol.peerId, 'activeSpeaker naming carol');
    const cd = await waitDominant(carol, carol.peerId, 'activeSpeaker (dominant speaker) naming herself');
    t.diagnostic(`carol: herself dominant ${cd.at - carolSpoke} ms after she spoke (the other daemon)`);

    // Each producer was measured by one router only (its origin's: piped
    // copies are not measured), and both daemons' routers reported.
    const mics = {};
    for (const page of pages)
      mics[(await page.evaluate(() => window.braidDemo.producerList().find((p) => p.kind === 'audio').id))] = page.displayName;
    const routersOf = {};
    for (const ev of published) {
      const ids = ev.t === 'router.volumes' ? ev.volumes.map((v) => v.producer) : [ev.producer];
      for (const id of ids) (routersOf[id] ??= new Set()).add(ev.router);
    }
    t.diagnostic(`${published.length} router events; ${Object.entries(routersOf).map(([id, r]) =>
      `${mics[id] ?? id} by ${r.size} router(s)`).join(', ')}`);
    for (const [id, routers] of Object.entries(routersOf))
      assert.equal(routers.size, 1, `${mics[id] ?? id}'s producer is measured by one router`);
    for (const name of ['alice', 'bob', 'carol'])
      assert.ok(Object.keys(routersOf).some((id) => mics[id] === name), `${name}'s microphone was measured`);
    assert.notDeepEqual([...routersOf[Object.keys(mics).find((id) => mics[id] === 'alice')]],
                        [...routersOf[Object.keys(mics).find((id) => mics[id] === 'carol')]],
                        'alice and carol are measured by different routers');
    // bob's tile at alice, carol's own tile ("me") at carol.
    assert.ok((await tileClasses(alice, carol.peerId)).includes('active-speaker'), 'alice shows carol speaking');
    assert.ok(await carol.evaluate(() => document.getElementById('me').classList.contains('active-speaker')),
              'carol shows herself speaking');
  } catch (err) {
    console.log(pageLogs(pages));
    throw err;
  } finally {
    await Promise.all(pages.map((p) => p.close().catch(() => {})));
  }
}));

test('every process exits cleanly on SIGTERM', { timeout: 30000 }, async () => {
  const problems = await c.stop();
  assert.deepEqual(problems, []);
});
