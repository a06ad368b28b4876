@{
    RootModule           = 'HeadshotPro.dll'
    ModuleVersion        = '0.0.0'  # stamped by build.ps1 from <Version> in src/HeadshotPro/HeadshotPro.csproj
    GUID                 = '5d0b6f1e-3c2a-4e8b-9a57-6f4e2c1d8b90'
    Author               = 'HeadshotPro PowerShell module contributors'
    CompanyName          = 'Community'
    Copyright            = '(c) HeadshotPro PowerShell module contributors. MIT License.'
    Description          = 'Drives HeadshotPro (AI team headshots) from PowerShell through its v1 and v2 APIs: invite people straight from Get-ADUser, Get-MgUser or Import-Csv output, and revoke and read invites; follow each person as a member, a headshot model and photos; manage teams and move people between them; save the chosen headshots as files, or in the form Active Directory, Entra ID and Exchange take; delete leavers'' headshots; verify HeadshotPro''s webhooks in Azure Automation runbooks; check credits. Paced to the API rate limit, retried through faults, every input accounted for, the key never shown. Examples (a daily joiners-and-leavers runbook, a webhook runbook that sets Microsoft 365 profile photos) are in the module''s Examples folder.'
    PowerShellVersion    = '5.1'
    # Windows PowerShell checks this before loading; PowerShell 7.0/7.1 (Newtonsoft.Json 12) are refused by the module's
    # initializer with a message naming what works. See docs/compatibility.md.
    DotNetFrameworkVersion = '4.7.2'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('HeadshotPro.Format.ps1xml')
    CmdletsToExport      = @(
        'Connect-HeadshotPro'
        'Disconnect-HeadshotPro'
        'Get-HeadshotConnection'
        'Get-HeadshotCredits'
        'New-HeadshotInvite'
        'Revoke-HeadshotInvite'
        'Get-HeadshotInvite'
        'Get-HeadshotOrganization'
        'Get-HeadshotTeam'
        'New-HeadshotTeam'
        'Rename-HeadshotTeam'
        'Remove-HeadshotTeam'
        'Add-HeadshotTeamMember'
        'Get-HeadshotMember'
        'Get-HeadshotModel'
        'Remove-HeadshotModel'
        'Get-HeadshotPhoto'
        'Save-HeadshotPhoto'
        'ConvertFrom-HeadshotWebhook'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @('Get-HeadshotCredit')
    PrivateData          = @{
        PSData = @{
            Tags         = @('HeadshotPro', 'Headshots', 'ProfilePhoto', 'Onboarding', 'ActiveDirectory', 'EntraID', 'MicrosoftGraph', 'Exchange', 'AzureAutomation', 'Webhooks', 'REST', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://www.headshotpro.com'
            ReleaseNotes = ''  # stamped by build.ps1: the newest section of CHANGELOG.md
        }
    }
}
