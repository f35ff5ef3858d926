-- Tool parts stored before tools returned typed display data (decisions §66) get the display record their metadata
-- already described, so a client that renders from state.display shows an old session as it showed it before: an
-- edit's diff, a command with its exit code, a subagent's report, a file read, a fetched page. A data migration only:
-- the schema is unchanged, and the old metadata stays as it was. This file is the one place that still reads the
-- metadata keys of those versions; nothing else in Lathe decides from them.

-- a file change: edit and write named one "path", apply_patch listed its "files" one per line
UPDATE part SET data = json_set(data, '$.state.display', json_object(
        'type', 'file_change',
        'files', CASE
            WHEN json_extract(data, '$.state.metadata.files') IS NOT NULL
                THEN json('["' || replace(replace(replace(json_extract(data, '$.state.metadata.files'), '\', '\\'), '"', '\"'), char(10), '","') || '"]')
            ELSE json_array(json_extract(data, '$.state.metadata.path')) END,
        'diff', json_extract(data, '$.state.metadata.diff')))
WHERE type = 'tool' AND status = 'completed' AND json_extract(data, '$.state.display') IS NULL
  AND json_extract(data, '$.state.metadata.diff') IS NOT NULL
  AND coalesce(json_extract(data, '$.state.metadata.files'), json_extract(data, '$.state.metadata.path')) IS NOT NULL;

-- a command that ran to its end or past its timeout
UPDATE part SET data = json_set(data, '$.state.display', CASE
        WHEN json_extract(data, '$.state.metadata.timedOut') = 'true'
            THEN json_object('type', 'command_run', 'command', json_extract(data, '$.state.input.command'), 'ending', 'timed_out')
        ELSE json_object('type', 'command_run', 'command', json_extract(data, '$.state.input.command'), 'ending', 'exited',
            'exitCode', CAST(json_extract(data, '$.state.metadata.exitCode') AS INTEGER)) END)
WHERE type = 'tool' AND status = 'completed' AND json_extract(data, '$.state.display') IS NULL
  AND json_type(data, '$.state.input.command') = 'text' AND json_extract(data, '$.state.metadata.exitCode') IS NOT NULL
  AND (json_extract(data, '$.state.metadata.timedOut') = 'true' OR json_extract(data, '$.state.metadata.exitCode') GLOB '[0-9]*'
       OR json_extract(data, '$.state.metadata.exitCode') GLOB '-[0-9]*');

-- a command started in the background
UPDATE part SET data = json_set(data, '$.state.display',
        json_object('type', 'command_run', 'command', json_extract(data, '$.state.input.command'), 'ending', 'background'))
WHERE type = 'tool' AND status = 'completed' AND json_extract(data, '$.state.display') IS NULL
  AND json_type(data, '$.state.input.command') = 'text' AND json_extract(data, '$.state.metadata.backgroundId') IS NOT NULL;

-- a subagent's task: its report is what its output held between <task_result> and </task_result>
UPDATE part SET data = json_set(data, '$.state.display', json_object(
        'type', 'subagent_run',
        'agent', coalesce(json_extract(data, '$.state.input.agent'), json_extract(data, '$.state.metadata.agent')),
        'description', coalesce(json_extract(data, '$.state.input.description'), ''),
        'continuation', CASE WHEN trim(coalesce(json_extract(data, '$.state.input.taskId'), '')) = '' THEN 'new_task' ELSE 'continued' END,
        'report', CASE
            WHEN instr(json_extract(data, '$.state.output'), '<task_result>') > 0
                 AND instr(json_extract(data, '$.state.output'), '</task_result>') > instr(json_extract(data, '$.state.output'), '<task_result>')
                THEN trim(substr(json_extract(data, '$.state.output'),
                        instr(json_extract(data, '$.state.output'), '<task_result>') + length('<task_result>'),
                        instr(json_extract(data, '$.state.output'), '</task_result>') - instr(json_extract(data, '$.state.output'), '<task_result>')
                            - length('<task_result>')), char(10) || ' ')
            ELSE json_extract(data, '$.state.output') END))
WHERE type = 'tool' AND status = 'completed' AND json_extract(data, '$.state.display') IS NULL
  AND json_extract(data, '$.state.metadata.sessionId') IS NOT NULL AND json_extract(data, '$.state.metadata.agent') IS NOT NULL;

-- a file read (a "path" without a diff)
UPDATE part SET data = json_set(data, '$.state.display', json_object('type', 'file_read', 'path', json_extract(data, '$.state.metadata.path')))
WHERE type = 'tool' AND status = 'completed' AND json_extract(data, '$.state.display') IS NULL
  AND json_extract(data, '$.state.metadata.path') IS NOT NULL AND json_extract(data, '$.state.metadata.diff') IS NULL
  AND (json_extract(data, '$.state.metadata.lines') IS NOT NULL OR json_extract(data, '$.state.metadata.mime') IS NOT NULL);

-- a fetched web page
UPDATE part SET data = json_set(data, '$.state.display', json_object('type', 'web_page',
        'url', json_extract(data, '$.state.metadata.url'), 'contentType', coalesce(json_extract(data, '$.state.metadata.contentType'), '')))
WHERE type = 'tool' AND status = 'completed' AND json_extract(data, '$.state.display') IS NULL
  AND json_extract(data, '$.state.metadata.url') IS NOT NULL;
