export const id = 879;
export const ids = [879];
export const modules = {

/***/ 7879:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   resolveTags: () => (/* binding */ resolveTags)
/* harmony export */ });
/* unused harmony exports autoLatest, defaultRules, sanitizeTag, computeTags */
/* harmony import */ var _conveyor_core__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7638);
/* harmony import */ var _conveyor_core__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1258);
/* harmony import */ var _renovatebot_pep440__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8898);
/* harmony import */ var _renovatebot_pep440__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(_renovatebot_pep440__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var handlebars__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8508);
/* harmony import */ var handlebars__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(handlebars__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var semver__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2088);
/* harmony import */ var semver__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(semver__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _tag_rules__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4056);
/**
 * The tag engine: docker/metadata-action's tag rules and flavor applied to the git context, giving
 * the tags metadata-action gives, with one deliberate difference: under `latest: auto`, `latest` goes
 * only on a tag push whose name is a release semver (`v1.2.3`, `1.0.3`).
 *
 * `computeTags` is pure. `resolveTags` first asks the injected RepositoryFacts for what the rules
 * need and the event payload lacks (the default branch, the commit date), and nothing else, and loads
 * moment-timezone only when a rule renders a date.
 * Templates are Handlebars, as in metadata-action, so its expressions, quoting and escaping all hold.
 */





const MAX_TAG_LENGTH = 128;
const VALID_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** Events that only run on the default branch, so {{is_default_branch}} holds without asking. */
const DEFAULT_BRANCH_EVENTS = /create|discussion|issues|schedule/;
/** Whether `auto` adds `latest`: only on a tag push whose name is a release semver (`v1.2.3`, `1.0.3`). */
function autoLatest(context) {
    const version = context.tag !== undefined ? semver__WEBPACK_IMPORTED_MODULE_2___default().parse(context.tag) : null;
    return version !== null && version.prerelease.length === 0;
}
/** The contract's rules when `tags` is empty; `type=ref,event=tag` replaces semver on other tags. */
function defaultRules(context) {
    const semverTag = context.tag === undefined || semver__WEBPACK_IMPORTED_MODULE_2___default().valid(context.tag.replace(/\//g, '-'));
    const version = semverTag ? 'type=semver,pattern={{version}}' : 'type=ref,event=tag';
    return ['type=ref,event=branch', 'type=ref,event=pr', version, 'type=sha'].map(_tag_rules__WEBPACK_IMPORTED_MODULE_3__/* .parseTagRule */ .G9);
}
/** As metadata-action: each run of characters a tag cannot hold becomes one `-`; case is kept. */
function sanitizeTag(value) {
    return value.replace(/[^A-Za-z0-9._-]+/g, '-');
}
function render(template, data, where) {
    try {
        return handlebars__WEBPACK_IMPORTED_MODULE_1___default().compile(template)(data);
    }
    catch (error) {
        // Handlebars' own errors (a missing helper, …) are the rule's; ours pass through.
        if (!(error instanceof (handlebars__WEBPACK_IMPORTED_MODULE_1___default().Exception)))
            throw error;
        throw (0,_conveyor_core__WEBPACK_IMPORTED_MODULE_4__/* .inputError */ .Xu)(where.input, `'${where.line}' cannot be rendered (${(0,_conveyor_core__WEBPACK_IMPORTED_MODULE_4__/* .errorMessage */ .gJ)(error)})`, 'See the expressions in the README');
    }
}
function resolved(value, what) {
    if (value === undefined)
        throw new Error(`The ${what} was needed but not resolved`);
    return value;
}
/** A `{{date 'FORMAT' tz='ZONE'}}` helper over `date`, with moment's tokens and IANA zones. */
function dateHelper(context, date, where) {
    return (format, options) => {
        const moment = resolved(context.moment, 'date library');
        let zone = 'UTC';
        for (const [key, value] of Object.entries(options?.hash ?? {})) {
            if (key !== 'tz')
                throw (0,_conveyor_core__WEBPACK_IMPORTED_MODULE_4__/* .inputError */ .Xu)(where.input, `'${where.line}' has ${key}= in a date expression`, "Use only tz='Zone'");
            zone = String(value);
        }
        if (!moment.tz.zone(zone))
            throw (0,_conveyor_core__WEBPACK_IMPORTED_MODULE_4__/* .inputError */ .Xu)(where.input, `'${where.line}' has an unknown time zone '${zone}'`, 'Use an IANA name such as Asia/Tokyo');
        return moment(date())
            .tz(zone)
            .format(typeof format === 'string' ? format : undefined);
    };
}
/** The ref's name after `prefix` (`refs/heads/`, `refs/tags/`, `refs/pull/`), if it has that prefix. */
function refName(context, prefix) {
    return context.ref.startsWith(prefix) ? context.ref.slice(prefix.length) : undefined;
}
function isDefaultBranch(context) {
    const branch = context.ref.replace(/^refs\/heads\//, '');
    if (!branch)
        return false;
    if (DEFAULT_BRANCH_EVENTS.test(context.eventName))
        return true;
    const onBranch = refName(context, 'refs/heads/');
    return onBranch !== undefined && onBranch === resolved(context.defaultBranch, 'default branch');
}
/** The expressions of `value`, `prefix`, `suffix` and `enable`. */
function globalExpressions({ context, plan }, where) {
    return {
        branch: () => refName(context, 'refs/heads/') ?? '',
        tag: () => refName(context, 'refs/tags/') ?? '',
        sha: () => (0,_conveyor_core__WEBPACK_IMPORTED_MODULE_5__/* .shortSha */ .Fu)(context.sha, plan.shortShaLength),
        base_ref: () => context.baseRef,
        is_default_branch: () => String(isDefaultBranch(context)),
        is_not_default_branch: () => String(!isDefaultBranch(context)),
        date: dateHelper(context, () => context.now, where),
        commit_date: dateHelper(context, () => resolved(context.commitDate, 'commit date'), where),
    };
}
function renderGlobal(template, run, where) {
    return render(template, globalExpressions(run, where), where);
}
/** Whether a pattern is `{{raw}}` alone (which a pre-release keeps, where other patterns give the full version). */
function isRawPattern(pattern) {
    const body = handlebars__WEBPACK_IMPORTED_MODULE_1___default().parseWithoutProcessing(pattern).body;
    const only = body[0];
    if (body.length !== 1 || only?.type !== 'MustacheStatement')
        return false;
    const path = only.path;
    return path.type === 'PathExpression' && path.parts.join('.') === 'raw';
}
const ruleWhere = (rule) => ({ input: 'tags', line: rule.line });
/** The text a semver, pep440 or match rule reads: its value=, else the pushed tag's name. */
function versionSource(rule, run) {
    if (rule.value.length > 0)
        return renderGlobal(rule.value, run, ruleWhere(rule));
    return refName(run.context, 'refs/tags/');
}
/** A semver or pep440 rule's version text: match='s group 1 when it matches, `/` as `-`. */
function versionText(rule, run) {
    let text = versionSource(rule, run);
    if (text === undefined)
        return undefined;
    if (rule.match) {
        const found = text.match(new RegExp(rule.match.source, rule.match.flags))?.[1];
        if (found === undefined)
            run.warnings.push(`${rule.match.source} does not match ${text}.`);
        else
            text = found;
    }
    return text.replace(/\//g, '-');
}
function semverValue(rule, run) {
    const text = versionText(rule, run);
    if (text === undefined)
        return undefined;
    if (!semver__WEBPACK_IMPORTED_MODULE_2___default().valid(text)) {
        run.warnings.push(`${text} is not a valid semver. More info: https://semver.org/`);
        return undefined;
    }
    const version = semver__WEBPACK_IMPORTED_MODULE_2___default().parse(text, { loose: true });
    // A pre-release gets only its full version, whatever the pattern, unless the pattern is {{raw}}.
    const pattern = version.prerelease.length > 0 && !isRawPattern(rule.pattern) ? '{{version}}' : rule.pattern;
    return render(pattern, version, ruleWhere(rule));
}
function pep440Value(rule, run) {
    const text = versionText(rule, run);
    if (text === undefined)
        return undefined;
    if (!_renovatebot_pep440__WEBPACK_IMPORTED_MODULE_0__.valid(text)) {
        run.warnings.push(`${text} does not conform to PEP 440. More info: https://www.python.org/dev/peps/pep-0440`);
        return undefined;
    }
    const explained = _renovatebot_pep440__WEBPACK_IMPORTED_MODULE_0__.explain(text);
    // Pre-, post- and dev releases get only their full (normalised) version, unless the pattern is {{raw}}.
    if (explained?.is_prerelease || explained?.is_postrelease || explained?.is_devrelease) {
        return isRawPattern(rule.pattern) ? text : (_renovatebot_pep440__WEBPACK_IMPORTED_MODULE_0__.clean(text) ?? text);
    }
    const parts = {
        raw: () => text,
        version: () => _renovatebot_pep440__WEBPACK_IMPORTED_MODULE_0__.clean(text),
        major: () => _renovatebot_pep440__WEBPACK_IMPORTED_MODULE_0__.major(text),
        minor: () => _renovatebot_pep440__WEBPACK_IMPORTED_MODULE_0__.minor(text),
        patch: () => _renovatebot_pep440__WEBPACK_IMPORTED_MODULE_0__.patch(text),
    };
    return render(rule.pattern, parts, ruleWhere(rule));
}
function matchValue(rule, run) {
    const text = versionSource(rule, run);
    if (text === undefined)
        return undefined;
    const found = text.match(new RegExp(rule.pattern.source, rule.pattern.flags));
    if (!found) {
        run.warnings.push(`${rule.pattern.source} does not match ${text}.`);
        return undefined;
    }
    const group = found[rule.group];
    if (group === undefined)
        run.warnings.push(`Group ${rule.group} does not exist for ${rule.pattern.source} pattern.`);
    return group;
}
/** The value a rule gives in this context, before prefix and suffix; undefined when it does not apply. */
function ruleValue(rule, run) {
    const { context, plan } = run;
    switch (rule.type) {
        case 'schedule': {
            if (!context.eventName.includes('schedule'))
                return undefined;
            // A schedule pattern knows only the dates.
            const { date, commit_date } = globalExpressions(run, ruleWhere(rule));
            return render(rule.pattern, { date, commit_date }, ruleWhere(rule));
        }
        case 'semver':
            return semverValue(rule, run);
        case 'pep440':
            return pep440Value(rule, run);
        case 'match':
            return matchValue(rule, run);
        case 'edge': {
            const branch = refName(context, 'refs/heads/');
            if (branch === undefined)
                return undefined;
            return branch === (rule.branch || resolved(context.defaultBranch, 'default branch')) ? 'edge' : undefined;
        }
        case 'ref':
            if (rule.event === 'branch')
                return refName(context, 'refs/heads/');
            if (rule.event === 'tag')
                return refName(context, 'refs/tags/');
            return refName(context, 'refs/pull/')?.replace(/\/merge$/, '');
        case 'raw':
            return renderGlobal(rule.value, run, ruleWhere(rule));
        case 'sha':
            if (!context.sha)
                return undefined;
            return rule.format === 'long' ? context.sha : (0,_conveyor_core__WEBPACK_IMPORTED_MODULE_5__/* .shortSha */ .Fu)(context.sha, plan.shortShaLength);
    }
}
/** The rule's own prefix and suffix, else the flavor's. */
function affixed(value, rule, run) {
    const affix = (key) => {
        const own = rule[key];
        if (own !== undefined)
            return renderGlobal(own, run, ruleWhere(rule));
        const flavor = run.plan.flavor[key];
        return flavor.length > 0 ? renderGlobal(flavor, run, { input: 'flavor', line: `${key}=${flavor}` }) : '';
    };
    return `${affix('prefix')}${value}${affix('suffix')}`;
}
/** A sanitized tag Docker accepts: at most 128 characters, not starting with `.` or `-`. */
function dockerTag(text, where) {
    const tag = sanitizeTag(text).slice(0, MAX_TAG_LENGTH);
    if (!VALID_TAG.test(tag)) {
        throw (0,_conveyor_core__WEBPACK_IMPORTED_MODULE_4__/* .inputError */ .Xu)(where.input, `'${where.line}' gives '${tag}', which is not a valid tag`, 'A tag cannot start with . or -');
    }
    return tag;
}
/** Applies the rules (the defaults when there are none), the flavor and the latest policy. */
function computeTags(plan, context) {
    const run = { plan, context, warnings: [] };
    const tags = [];
    for (const rule of plan.rules.length > 0 ? plan.rules : defaultRules(context)) {
        const enabled = renderGlobal(rule.enable, run, ruleWhere(rule));
        if (enabled !== 'true' && enabled !== 'false') {
            throw (0,_conveyor_core__WEBPACK_IMPORTED_MODULE_4__/* .inputError */ .Xu)('tags', `rule '${rule.line}' has enable= giving '${enabled}'`, 'It must give true or false');
        }
        if (enabled === 'false')
            continue;
        const value = ruleValue(rule, run);
        if (value === undefined)
            continue;
        const text = affixed(value, rule, run);
        if (text.length > 0)
            tags.push(dockerTag(text, ruleWhere(rule)));
    }
    const unique = [...new Set(tags)];
    const version = unique[0];
    if (version === undefined) {
        throw (0,_conveyor_core__WEBPACK_IMPORTED_MODULE_4__/* .inputError */ .Xu)('tags', `no rule gives a tag for this ${context.eventName || 'run'} (${context.ref || 'no ref'})`, "Add a rule that applies, such as 'type=sha'");
    }
    if (plan.latest === 'true' || (plan.latest === 'auto' && autoLatest(context))) {
        const { flavor } = plan;
        const latest = `${flavor.prefixLatest ? flavor.prefix : ''}latest${flavor.suffixLatest ? flavor.suffix : ''}`;
        const tag = dockerTag(latest, { input: 'flavor', line: latest });
        if (!unique.includes(tag))
            unique.push(tag);
    }
    return { tags: unique, version, warnings: run.warnings };
}
/** The template texts of a plan (rule values, patterns, affixes, enables, the flavor's affixes). */
function templates(plan, rules) {
    const texts = [plan.flavor.prefix, plan.flavor.suffix];
    for (const rule of rules) {
        texts.push(rule.enable, rule.prefix ?? '', rule.suffix ?? '');
        if ('value' in rule)
            texts.push(rule.value);
        if (rule.type === 'schedule')
            texts.push(rule.pattern);
    }
    return texts;
}
/**
 * The tags for this run: resolves the default branch and the commit date only when a rule needs
 * them and the payload does not have them, then computes the tags and logs metadata-action's warnings.
 */
async function resolveTags(plan, git, { facts, now, logger }) {
    const rules = plan.rules.length > 0 ? plan.rules : defaultRules(git);
    const texts = templates(plan, rules);
    const context = { ...git, now };
    const onBranch = /^refs\/heads\/./.test(git.ref);
    const asksDefaultBranch = texts.some((text) => /\{\{[^}]*is_(not_)?default_branch/.test(text)) && !DEFAULT_BRANCH_EVENTS.test(git.eventName);
    const edgeOnDefault = rules.some((rule) => rule.type === 'edge' && rule.branch === '');
    if (context.defaultBranch === undefined && onBranch && (asksDefaultBranch || edgeOnDefault)) {
        context.defaultBranch = await facts.defaultBranch();
    }
    if (texts.some((text) => /\{\{[^}]*commit_date/.test(text))) {
        if (git.commitTimestamp !== undefined)
            context.commitDate = new Date(git.commitTimestamp);
        else {
            try {
                context.commitDate = await facts.commitDate(git.sha);
            }
            catch (error) {
                // As metadata-action: without the commit's date, {{commit_date}} renders the current date.
                logger.warning(`Could not read the date of commit ${git.sha} (${(0,_conveyor_core__WEBPACK_IMPORTED_MODULE_4__/* .errorMessage */ .gJ)(error)}); {{commit_date}} uses the current date`);
                context.commitDate = now;
            }
        }
    }
    if (texts.some((text) => /\{\{[^}]*date/.test(text)))
        context.moment = (await __webpack_require__.e(/* import() */ 856).then(__webpack_require__.t.bind(__webpack_require__, 9856, 23))).default;
    const result = computeTags(plan, context);
    for (const warning of result.warnings)
        logger.warning(warning);
    return result;
}


/***/ })

};

//# sourceMappingURL=879.index.js.map