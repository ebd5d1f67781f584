<#-- The page a backend-started registration's link opens (Keycloak Passkeys). Nobody is signed in:
     the ticket in the URL fragment is the only credential, and the script completes the
     registration with the realm's passkeys.js. Every value is auto-escaped; the script only sets
     textContent. -->
<!DOCTYPE html>
<html class="${properties.kcHtmlClass!}" lang="${lang}" dir="${dir}">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="color-scheme" content="light${darkMode?then(' dark', '')}">
    <meta name="referrer" content="no-referrer">
    <title>${msg("passkeysEnrollTitle")} - ${realmName}</title>
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
    <script type="module" src="${url.resourcesPath}/js/passkeys-enroll.js"></script>
</head>
<body id="keycloak-bg" class="${properties.kcBodyClass!}" data-page-id="passkeys-enroll">
<div class="${properties.kcLogin!}">
  <div class="${properties.kcLoginContainer!} kcp-page">
    <header id="kc-header" class="pf-v5-c-login__header">
      <div id="kc-header-wrapper" class="pf-v5-c-brand">${realmName}</div>
    </header>
    <main class="${properties.kcLoginMain!}">
      <div class="${properties.kcLoginMainHeader!}">
        <h1 class="${properties.kcLoginMainTitle!}" id="kc-page-title">${msg("passkeysEnrollTitle")}</h1>
      </div>
      <div class="${properties.kcLoginMainBody!}">
        <p id="enroll-for" class="kcp-help" hidden></p>
        <p id="enroll-intro">${msg("passkeysPageIntro")}</p>
        <div id="enroll-status" class="kcp-status" role="status" aria-live="polite"></div>
        <noscript><p>${msg("passkeyNeedsJavaScript")}</p></noscript>
        <p><button id="enroll-create" type="button" class="pf-v5-c-button pf-m-primary pf-m-block" disabled>${msg("passkeysEnrollCreate")}</button></p>
        <p id="enroll-done" hidden><a id="enroll-account" href="${accountUrl}">${msg("passkeysEnrollSignIn")}</a></p>
      </div>
    </main>
  </div>
</div>
<div id="enroll-config" hidden
     data-issuer="${issuer}"
     data-dark-mode-class="${darkMode?then(properties.kcDarkModeClass!'', '')}"
     data-msg-for="${msg("passkeysEnrollFor", "{0}")}"
     data-msg-done="${msg("passkeysEnrollDone")}"
     data-msg-invalid="${msg("passkeysEnrollInvalid")}"
     data-msg-cancelled="${msg("passkeyCancelled")}"
     data-msg-unsupported="${msg("passkeyUnsupported")}"
     data-msg-already-registered="${msg("passkeyAlreadyRegistered")}"
     data-msg-limit-reached="${msg("passkeysLimitReached")}"
     data-msg-device-bound-required="${msg("passkeyDeviceBoundRequired")}"
     data-msg-failed="${msg("passkeyFailed")}"
     data-msg-working="${msg("passkeyWorking")}"></div>
</body>
</html>
