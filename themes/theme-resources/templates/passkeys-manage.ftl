<#-- The passkeys page (Keycloak Passkeys): rendered outside any login flow, so it builds the
     login theme's page frame itself instead of template.ftl's registrationLayout. Every value is
     auto-escaped by FreeMarker; the script only ever sets textContent. -->
<!DOCTYPE html>
<html class="${properties.kcHtmlClass!}" lang="${lang}" dir="${dir}">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="color-scheme" content="light${darkMode?then(' dark', '')}">
    <meta name="referrer" content="no-referrer">
    <title>${msg("passkeysPageTitle")} - ${realmName}</title>
    <link rel="icon" href="${url.resourcesPath}/img/favicon.ico"/>
    <#if properties.stylesCommon?has_content>
        <#list properties.stylesCommon?split(' ') as style>
            <link href="${url.resourcesCommonPath}/${style}" rel="stylesheet"/>
        </#list>
    </#if>
    <#if properties.styles?has_content>
        <#list properties.styles?split(' ') as style>
            <link href="${url.resourcesPath}/${style}" rel="stylesheet"/>
        </#list>
    </#if>
    <link rel="stylesheet" href="${url.resourcesPath}/css/passkeys.css"/>
    <script type="module" src="${url.resourcesPath}/js/passkeys-manage.js"></script>
</head>
<body id="keycloak-bg" class="${properties.kcBodyClass!}" data-page-id="passkeys-manage">
<div class="${properties.kcLogin!}">
  <div class="${properties.kcLoginContainer!} kcp-page">
    <header id="kc-header" class="pf-v5-c-login__header">
      <div id="kc-header-wrapper" class="pf-v5-c-brand">${realmName}</div>
    </header>
    <main class="${properties.kcLoginMain!}">
      <div class="${properties.kcLoginMainHeader!}">
        <h1 class="${properties.kcLoginMainTitle!}" id="kc-page-title">${msg("passkeysPageTitle")}</h1>
      </div>
      <div class="${properties.kcLoginMainBody!}">
        <#if backLink??>
          <p class="kcp-back"><a id="passkeys-back" href="${backLink.url}"><svg class="kcp-back-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false"><path d="M10 3 5 8l5 5" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>${msg("passkeysBackTo", backLink.name)}</a></p>
        </#if>
        <p id="passkeys-signed-in-as" class="kcp-help">${msg("passkeysSignedInAs", username)}</p>
        <p id="passkeys-intro">${msg("passkeysPageIntro")}</p>
        <div id="passkeys-status" class="kcp-status" role="status" aria-live="polite"></div>
        <noscript><p>${msg("passkeyNeedsJavaScript")}</p></noscript>

        <section id="passkeys-empty" class="kcp-empty"<#if passkeys?has_content> hidden</#if> aria-labelledby="passkeys-empty-title">
          <h2 id="passkeys-empty-title" class="pf-v5-c-title pf-m-lg">${msg("passkeysEmptyTitle")}</h2>
          <p>${msg("passkeysEmptyText")}</p>
        </section>

        <ul id="passkeys-list" class="kcp-list" aria-label="${msg("passkeysPageTitle")}">
          <#list passkeys as p>
            <li class="kcp-passkey" data-passkey-id="${p.id}" data-credential-id="${p.credentialId}">
              <div class="kcp-passkey-head">
                <#if p.iconLight?has_content>
                  <img class="kcp-icon kcp-icon-light" src="${url.resourcesPath}/img/passkeys/${p.iconLight}" alt="" width="32" height="32"/>
                  <img class="kcp-icon kcp-icon-dark" src="${url.resourcesPath}/img/passkeys/${p.iconDark}" alt="" width="32" height="32"/>
                <#else>
                  <svg class="kcp-icon kcp-icon-generic" viewBox="0 0 24 24" width="32" height="32" aria-hidden="true" focusable="false"><circle cx="8" cy="12" r="4" fill="none" stroke="currentColor" stroke-width="2"/><path d="M12 12h9m-3 0v3m-3-3v2" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>
                </#if>
                <div class="kcp-passkey-title">
                  <h2 class="kcp-passkey-name" id="passkey-name-${p?index}">${p.name}</h2>
                  <p class="kcp-provider">${p.providerName?has_content?then(p.providerName, msg("passkeysProviderUnknown"))}</p>
                </div>
              </div>
              <ul class="kcp-badges" aria-label="${msg("passkeysDetails")}">
                <li><span class="pf-v5-c-label pf-m-compact ${p.synced?then('pf-m-blue', 'pf-m-orange')}"><span class="pf-v5-c-label__content kcp-badge-text">${p.synced?then(msg("passkeysSynced"), msg("passkeysDeviceOnly"))}</span></span></li>
                <#if p.twoFactor>
                  <li><span class="pf-v5-c-label pf-m-compact pf-m-grey kcp-two-factor"><span class="pf-v5-c-label__content kcp-badge-text">${msg("passkeysTwoFactorKey")}</span></span></li>
                </#if>
                <#if p.modelVerified>
                  <li><span class="pf-v5-c-label pf-m-compact pf-m-purple kcp-model-verified"><span class="pf-v5-c-label__content kcp-badge-text">${msg("passkeysVerifiedModel")}</span></span></li>
                </#if>
                <#if p.usedHere>
                  <li><span class="pf-v5-c-label pf-m-compact pf-m-green kcp-used-here"><span class="pf-v5-c-label__content kcp-badge-text">${msg("passkeysUsedHere")}</span></span></li>
                </#if>
              </ul>
              <dl class="kcp-dates">
                <div>
                  <dt>${msg("passkeysCreated")}</dt>
                  <dd><time class="kcp-time" datetime="${p.createdAt}">${p.createdAt}</time></dd>
                </div>
                <div>
                  <dt>${msg("passkeysLastUsed")}</dt>
                  <dd><#if p.lastUsedAt?has_content><time class="kcp-time" datetime="${p.lastUsedAt}">${p.lastUsedAt}</time><#else>${msg("passkeysNeverUsed")}</#if></dd>
                </div>
              </dl>
              <#if p.twoFactor>
              <p class="kcp-two-factor-hint">${msg("passkeysTwoFactorKeyHint")}</p>
              <#else>
              <div class="kcp-row-actions">
                <button type="button" class="pf-v5-c-button pf-m-secondary kcp-rename" aria-describedby="passkey-name-${p?index}">${msg("passkeysRename")}</button>
                <button type="button" class="pf-v5-c-button pf-m-danger kcp-delete" aria-describedby="passkey-name-${p?index}">${msg("passkeysDelete")}</button>
              </div>
              </#if>
              <form class="kcp-rename-form" hidden novalidate>
                <div class="${properties.kcFormGroupClass!}">
                  <label class="${properties.kcLabelClass!}" for="passkey-rename-${p?index}">${msg("passkeyNameLabel")}</label>
                  <span class="${properties.kcInputClass!}">
                    <input id="passkey-rename-${p?index}" class="kcp-rename-input" type="text" maxlength="64" required
                           autocomplete="off" aria-describedby="passkey-rename-error-${p?index}"/>
                  </span>
                  <p id="passkey-rename-error-${p?index}" class="kcp-field-error" aria-live="polite"></p>
                </div>
                <div class="kcp-row-actions">
                  <button type="submit" class="pf-v5-c-button pf-m-primary kcp-rename-save">${msg("passkeysSave")}</button>
                  <button type="button" class="pf-v5-c-button pf-m-link kcp-rename-cancel">${msg("passkeysCancel")}</button>
                </div>
              </form>
            </li>
          </#list>
        </ul>

        <div class="kcp-actions">
          <button id="passkeys-add" type="button"
                  class="${properties.kcButtonClass!} ${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!} ${properties.kcButtonLargeClass!}">
            ${passkeys?has_content?then(msg("passkeysAdd"), msg("passkeysAddFirst"))}
          </button>
        </div>
      </div>
    </main>
  </div>
</div>

<dialog id="passkeys-delete-dialog" class="kcp-dialog" aria-labelledby="passkeys-delete-title" aria-describedby="passkeys-delete-text">
  <form method="dialog">
    <h2 id="passkeys-delete-title" class="pf-v5-c-title pf-m-lg">${msg("passkeysDeleteTitle")}</h2>
    <p id="passkeys-delete-text"></p>
    <div class="kcp-row-actions">
      <button id="passkeys-delete-confirm" type="submit" value="delete" class="pf-v5-c-button pf-m-danger">${msg("passkeysDeleteConfirm")}</button>
      <button id="passkeys-delete-cancel" type="submit" value="cancel" class="pf-v5-c-button pf-m-link">${msg("passkeysCancel")}</button>
    </div>
  </form>
</dialog>

<div id="passkeys-config" hidden
     data-api-url="${apiUrl}"
     data-csrf="${csrfToken}"
     data-reauth-url="${reauthUrl}"
     data-reauth-passkey-url="${reauthPasskeyUrl}"
     data-rp-id="${rpId}"
     data-user-handle="${userHandle}"
     data-username="${username}"
     data-display-name="${displayName}"
     data-lang="${lang}"
     data-dark-mode-class="${darkMode?then(properties.kcDarkModeClass!'', '')}"
     data-msg-delete-text="${msg("passkeysDeleteText", "{0}")}"
     data-msg-deleted="${msg("passkeysDeleted", "{0}")}"
     data-msg-renamed="${msg("passkeysRenamed", "{0}")}"
     data-msg-added="${msg("passkeysAdded")}"
     data-msg-last-method="${msg("passkeysLastMethod")}"
     data-msg-reauth="${msg("passkeysReauth")}"
     data-msg-error="${msg("passkeysError")}"
     data-msg-name-required="${msg("passkeyNameRequired")}"
     data-msg-name-too-long="${msg("passkeyNameTooLong")}"
     data-msg-name-invalid="${msg("passkeyNameInvalidCharacters")}"
     data-msg-cancelled="${msg("passkeyCancelled")}"
     data-msg-timeout="${msg("passkeyTimeout")}"
     data-msg-unsupported="${msg("passkeyUnsupported")}"
     data-msg-security="${msg("passkeySecurityError")}"
     data-msg-already-registered="${msg("passkeyAlreadyRegistered")}"
     data-msg-limit-reached="${msg("passkeysLimitReached")}"
     data-msg-device-bound-required="${msg("passkeyDeviceBoundRequired")}"
     data-msg-failed="${msg("passkeyFailed")}"
     data-msg-storage-unavailable="${msg("passkeyStorageUnavailable")}"
     data-msg-working="${msg("passkeyWorking")}"></div>
</body>
</html>
