<#import "template.ftl" as layout>
<#-- Passkey sign-in (Keycloak Passkeys). Plain markup with the theme's own classes, so it looks
     native in keycloak.v2 and keeps working in the base theme. Every value is escaped by the
     template engine; the ceremony options travel base64-encoded in a data attribute. -->
<#-- A field error (wrong password, lockout) shows under the password field; where that form is not
     rendered (a known user, a realm without passwords) it shows as the page's message instead. -->
<@layout.registrationLayout displayMessage=!(realm.password && !passkeyLogin.userKnown && messagesPerField.existsError('username','password')) displayInfo=(realm.password && realm.registrationAllowed && !registrationDisabled?? && !passkeyLogin.userKnown && !passkeyLogin.passkeyRequired); section>
    <#if section = "header">
        <#if passkeyLogin.userKnown>${msg("passkeyStepUpTitle")}<#else>${msg("loginAccountTitle")}</#if>
    <#elseif section = "form">
        <div id="kc-form">
          <div id="kc-form-wrapper">
            <#if passkeyLogin.userKnown>
                <p id="passkey-step-up-intro">${msg("passkeyStepUpIntro", passkeyLogin.username)}</p>
            <#elseif passkeyLogin.passkeyRequired>
                <#-- The app asked for a phishing-resistant sign-in (acr_values=phr or phrh): no password form. -->
                <p id="passkey-required-intro">${msg("passkeyRequiredIntro")}</p>
            <#elseif realm.password>
                <form id="kc-form-login" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate">
                    <div class="${properties.kcFormGroupClass!}">
                        <label for="username" class="${properties.kcLabelClass!}"><#if !realm.loginWithEmailAllowed>${msg("username")}<#elseif !realm.registrationEmailAsUsername>${msg("usernameOrEmail")}<#else>${msg("email")}</#if></label>
                        <span class="${properties.kcInputClass!}<#if messagesPerField.existsError('username','password')> ${properties.kcError!}</#if>">
                            <input id="username" name="username" type="text" value="${passkeyLogin.username}" autofocus
                                   autocomplete="username webauthn" autocapitalize="none" spellcheck="false"
                                   aria-invalid="<#if messagesPerField.existsError('username','password')>true<#else>false</#if>"
                                   <#if messagesPerField.existsError('username','password')>aria-describedby="input-error"</#if>/>
                        </span>
                    </div>
                    <div class="${properties.kcFormGroupClass!}">
                        <label for="password" class="${properties.kcLabelClass!}">${msg("password")}</label>
                        <span class="${properties.kcInputClass!}<#if messagesPerField.existsError('username','password')> ${properties.kcError!}</#if>">
                            <input id="password" name="password" type="password" autocomplete="current-password"
                                   aria-invalid="<#if messagesPerField.existsError('username','password')>true<#else>false</#if>"
                                   <#if messagesPerField.existsError('username','password')>aria-describedby="input-error"</#if>/>
                        </span>
                        <#if messagesPerField.existsError('username','password')>
                            <div id="input-error" class="${properties.kcInputErrorMessageClass!}" aria-live="polite">
                                ${kcSanitize(messagesPerField.getFirstError('username','password'))?no_esc}
                            </div>
                        </#if>
                    </div>
                    <div class="${properties.kcFormGroupClass!} kcp-options">
                        <#if realm.rememberMe>
                            <label class="kcp-checkbox"><input id="rememberMe" name="rememberMe" type="checkbox" <#if passkeyLogin.rememberMe>checked</#if>> ${msg("rememberMe")}</label>
                        </#if>
                        <#if realm.resetPasswordAllowed>
                            <a href="${url.loginResetCredentialsUrl}">${msg("doForgotPassword")}</a>
                        </#if>
                    </div>
                    <#-- Set by passkey-login.js when the browser can make a passkey without a dialog
                         (conditionalCreate): then an automatic upgrade may follow the password sign-in. -->
                    <input type="hidden" id="passkey-upgrade-capable" name="passkey_upgrade_capable" value="false"/>
                    <div class="${properties.kcFormGroupClass!}">
                        <input id="kc-login" name="login" type="submit" value="${msg("doLogIn")}"
                               class="${properties.kcButtonClass!} ${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!} ${properties.kcButtonLargeClass!}"/>
                    </div>
                </form>
                <p id="passkey-divider" class="kcp-divider" aria-hidden="true" hidden><span>${msg("passkeyOr")}</span></p>
            </#if>

            <button id="passkey-sign-in" type="button" hidden
                    class="${properties.kcButtonClass!} ${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!} ${properties.kcButtonLargeClass!}">
                ${msg("passkeySignInButton")}
            </button>
            <noscript><p>${msg("passkeyNeedsJavaScript")}</p></noscript>
            <div id="passkey-status" class="kcp-status" role="alert" aria-live="assertive"></div>
            <#if passkeyLogin.passkeyRequired>
                <form id="passkey-required-cancel-form" action="${url.loginAction}" method="post">
                    <button id="passkey-required-cancel" name="passkey_required_cancel" value="true" type="submit"
                            class="${properties.kcButtonClass!} ${properties.kcButtonDefaultClass!} ${properties.kcButtonBlockClass!} pf-m-link">
                        ${msg("passkeyRequiredCancel")}
                    </button>
                </form>
            </#if>

            <form id="passkey-form" action="${url.loginAction}" method="post" hidden>
                <input type="hidden" id="passkey-response" name="passkey_response" disabled/>
                <input type="hidden" id="passkey-path" name="passkey_path" disabled/>
            </form>
            <div id="passkey-config" hidden
                 data-options="${passkeyLogin.options}"
                 data-user-known="${passkeyLogin.userKnown?c}"
                 data-passkey-required="${passkeyLogin.passkeyRequired?c}"
                 data-rp-id="${passkeyLogin.rpId}"
                 data-unknown-credential="${passkeyLogin.unknownCredentialId}"
                 data-msg-cancelled="${msg("passkeyCancelled")}"
                 data-msg-timeout="${msg("passkeyTimeout")}"
                 data-msg-unsupported="${msg("passkeyUnsupported")}"
                 data-msg-security="${msg("passkeySecurityError")}"
                 data-msg-failed="${msg("passkeyFailed")}"
                 data-msg-working="${msg("passkeyWorking")}"></div>
          </div>
        </div>
        <link rel="stylesheet" href="${url.resourcesPath}/css/passkeys.css"/>
        <script type="module" src="${url.resourcesPath}/js/passkey-login.js"></script>
    <#elseif section = "info">
        <#if realm.password && realm.registrationAllowed && !registrationDisabled?? && !passkeyLogin.userKnown && !passkeyLogin.passkeyRequired>
            <div id="kc-registration-container">
                <div id="kc-registration">
                    <span>${msg("noAccount")} <a href="${url.registrationUrl}">${msg("doRegister")}</a></span>
                </div>
            </div>
        </#if>
    </#if>
</@layout.registrationLayout>
