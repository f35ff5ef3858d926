// `/goal CMD` in the web composer (DESIGN §18, as the terminal UI's /goal and `lathe run --until CMD`, decision 409):
// the check runs now on the server as the session's bash would (its rules decide; an ask shows like any other), and
// while it fails its outcome is sent as the next prompt; when that turn ends it runs again, for at most 10 turns.
// `/goal` says what runs, `/goal off` stops it; a turn that fails or is stopped stops it too. One loop per session view.
import {api, errorMessage} from '../api.js';
import {SESSION_MESSAGES, SESSION_PROMPT, SESSION_SHELL, SESSION_STATUS} from '../api-routes.js';

const MAX_TURNS = 10;
const POLL_MS = 300;

/** The loop of each session id: {check, stopped}. */
const loops = new Map();

/** Runs `/goal ARGS` for session view `t`; `say(text, kind)` shows a line to the user. */
export function goal(t, args, say) {
    const text = args.trim();
    const current = loops.get(t.id);
    if (!text) {
        say(current ? `Goal: \`${current.check}\` runs after each turn until it exits 0; /goal off stops it.`
            : 'No goal. /goal CMD runs CMD after each turn and sends its output back until it exits 0 (e.g. /goal npm test).', 'info');
        return;
    }
    if (text === 'off') {
        if (current) stop(t.id, current);
        say(current ? 'Goal stopped.' : 'No goal runs.', 'info');
        return;
    }
    if (current) stop(t.id, current);
    const loop = {check: text, stopped: false};
    loops.set(t.id, loop);
    say(`◎ Goal: \`${text}\` exits 0. It runs now and after each turn (at most ${MAX_TURNS}); while it fails, its output is the next prompt · /goal off stops`, 'notice');
    run(t, loop, 1, say);
}

function stop(id, loop) {
    loop.stopped = true;
    if (loops.get(id) === loop) loops.delete(id);
}

async function run(t, loop, turn, say) {
    try {
        await idle(t, loop);
        if (loop.stopped) return;
        if (turn > 1 && await lastTurnFailed(t)) {
            stop(t.id, loop);
            say('Goal stopped: the last turn failed or was stopped.', 'error');
            return;
        }
        const answer = await api(SESSION_SHELL, {params: {id: t.id}, body: {command: loop.check, check: true}});
        if (loop.stopped) return;
        const result = checked(answer);
        if (result.passed) {
            stop(t.id, loop);
            say(`✓ Goal reached: \`${loop.check}\` exited 0 (turn ${turn} of ${MAX_TURNS}).`, 'notice');
        } else if (result.ending === 'not_run') {
            stop(t.id, loop);
            say(`The check could not run: ${result.output.split('\n')[0]}`, 'error');
        } else if (turn >= MAX_TURNS) {
            stop(t.id, loop);
            say(`Goal not reached: \`${loop.check}\` still fails after ${MAX_TURNS} turns.`, 'error');
        } else {
            say(`· check \`${loop.check}\` ${result.ending === 'timed_out' ? 'timed out' : `exited ${result.exitCode}`} (turn ${turn} of ${MAX_TURNS})`, 'info');
            await api(SESSION_PROMPT, {params: {id: t.id}, body: {parts: [{type: 'text', text: followUp(loop.check, result, turn)}]}});
            run(t, loop, turn + 1, say);
        }
    } catch (e) {
        if (loop.stopped) return;
        stop(t.id, loop);
        say(errorMessage(e), 'error');
    }
}

/** Until no turn runs: idle twice in a row, as the terminal UI and `lathe run` wait. */
async function idle(t, loop) {
    let seen = 0;
    while (seen < 2 && !loop.stopped) {
        await new Promise((done) => setTimeout(done, POLL_MS));
        const status = await api(SESSION_STATUS, {params: {id: t.id}});
        seen = status?.type === 'idle' ? seen + 1 : 0;
    }
}

async function lastTurnFailed(t) {
    const page = await api(SESSION_MESSAGES, {params: {id: t.id}, query: {limit: 1}});
    const last = (Array.isArray(page) ? page : page?.messages ?? []).at(-1);
    return !!(last && last.info.role === 'assistant' && last.info.error);
}

/** The check's outcome from the server's answer (its bash part), as GoalCheck reads it in the terminal clients. */
function checked(answer) {
    const tool = (answer?.parts ?? []).find((p) => p.type === 'tool');
    const state = tool?.state;
    if (!state || state.status !== 'completed') return {ending: 'not_run', output: state?.error ?? "the server's answer holds no finished command", passed: false};
    const display = state.display?.type === 'command_run' ? state.display : null;
    const raw = display?.exitCode ?? state.metadata?.exitCode;
    const exitCode = raw === undefined || raw === null || raw === '' ? null : Number(raw);
    const ending = display?.ending === 'timed_out' ? 'timed_out' : exitCode !== null && !Number.isNaN(exitCode) ? 'exited' : 'not_run';
    const output = (state.output ?? '').trimEnd().replace(/\n?exit code: -?\d+$/, '').trimEnd();
    return {ending, exitCode, output, passed: ending === 'exited' && exitCode === 0};
}

/**
 * The next turn's prompt: the same words as GoalCheck.followUp, so every client asks the model alike. Not the check's
 * output: the server recorded the check as a command the user ran, its output as that command's result, which the model
 * reads just above (DESIGN §28, decision 495).
 */
function followUp(check, result, turn) {
    const how = result.ending === 'exited' ? `exited with code ${result.exitCode}` : result.ending === 'timed_out' ? 'did not finish in time and was stopped' : 'could not run';
    return `The goal check \`${check}\` ${how} after turn ${turn} of ${MAX_TURNS}, so the goal is not reached yet.`
        + ' Its output is the result of the command run just above. '
        + 'Keep working until the check passes (exits with code 0); it runs again when this turn ends.';
}
