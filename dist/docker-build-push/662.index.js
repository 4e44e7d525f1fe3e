export const id = 662;
export const ids = [662];
export const modules = {

/***/ 662:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GITHUB_API_VERSION: () => (/* binding */ GITHUB_API_VERSION),
/* harmony export */   createGitHubClient: () => (/* binding */ createGitHubClient)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1351);
/* harmony import */ var _actions_github_lib_utils__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5555);
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9735);
/* harmony import */ var _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6856);
/* harmony import */ var _cancel__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8771);
/**
 * GitHub client: Octokit from @actions/github (API base from GITHUB_API_URL, so GitHub Enterprise
 * Server works), with the retry and throttling plugins, a pinned REST API version, a timeout on
 * every request, and no automatic retry of POST/PATCH (a retried dispatch would start a second run).
 */





const GITHUB_API_VERSION = '2022-11-28';
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
/**
 * Statuses the retry plugin leaves alone: its defaults, and 429, which it would send again after its
 * own 1 s backoff; the throttling plugin waits as the reply asks (Retry-After, the reset time, or a minute).
 */
const NOT_RETRIED = [400, 401, 403, 404, 410, 422, 429, 451];
/** An authenticated Octokit for `token`. */
function createGitHubClient(token, options) {
    const { logger, signal, timeoutMs = 30_000, retries = 3, maxRateLimitWaitMs = 300_000 } = options;
    const baseFetch = (_actions_github_lib_utils__WEBPACK_IMPORTED_MODULE_1__/* .defaults */ .NT.request?.fetch ?? fetch);
    const timedFetch = async (url, init) => {
        const timeout = AbortSignal.timeout(timeoutMs);
        const signals = [timeout, ...(signal ? [signal] : []), ...(init?.signal ? [init.signal] : [])];
        try {
            return await baseFetch(url, { ...init, signal: AbortSignal.any(signals) });
        }
        catch (error) {
            // Octokit reports an abort as "Unknown Error" or "This operation was aborted": say what happened.
            if (timeout.aborted)
                throw new Error(`The request timed out after ${timeoutMs / 1000} s`, { cause: error });
            throw error;
        }
    };
    const rateLimited = (kind) => (retryAfter, request, _octokit, retryCount) => {
        if (retryCount >= retries || retryAfter * 1000 > maxRateLimitWaitMs)
            return false;
        logger.warning(`GitHub ${kind} rate limit on ${request.method} ${request.url}; retrying in ${retryAfter} s`);
        return true;
    };
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(token, {
        ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
        request: { fetch: timedFetch },
        retry: { retries, doNotRetry: NOT_RETRIED },
        throttle: { onRateLimit: rateLimited('primary'), onSecondaryRateLimit: rateLimited('secondary') },
        log: { debug: () => undefined, info: () => undefined, warn: (m) => logger.debug(m), error: (m) => logger.debug(m) },
    }, _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_2__/* .retry */ .L, _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_3__/* .throttling */ .A);
    const apiVersion = options.apiVersion ?? GITHUB_API_VERSION;
    octokit.hook.before('request', (request) => {
        request.headers['x-github-api-version'] ??= apiVersion;
        // A POST or PATCH that failed may still have taken effect: the caller decides, never the plugin.
        if (!IDEMPOTENT.has(request.method))
            request.request = { ...request.request, retries: 0 };
    });
    // The retry plugin sees an aborted fetch as a 500 and retries it (1 + 4 + 9 s): on cancellation the
    // caller must hear at once, so the whole request (retries included) races the signal.
    if (signal) {
        octokit.hook.wrap('request', (request, requestOptions) => {
            signal.throwIfAborted();
            return new Promise((resolve, reject) => {
                const onAbort = () => reject((0,_cancel__WEBPACK_IMPORTED_MODULE_4__/* .abortReason */ .Js)(signal));
                signal.addEventListener('abort', onAbort, { once: true });
                Promise.resolve(request(requestOptions))
                    .then(resolve, reject)
                    .finally(() => signal.removeEventListener('abort', onAbort));
            });
        });
    }
    return octokit;
}


/***/ })

};

//# sourceMappingURL=662.index.js.map