# Stand-ins for the directory cmdlets that HeadshotPro's examples pipe from (ActiveDirectory, Microsoft.Graph,
# ExchangeOnlineManagement, Azure Automation), over an in-memory directory that a test seeds with Set-StandInDirectory.
# They return objects of the real types' shape (HeadshotPro.TestShapes.dll): Get-ADUser an ADUser holding only the
# default property set plus what -Properties asked for, as the real cmdlet does.
Set-StrictMode -Version Latest

# The types, unless the host already has them (the xUnit host references HeadshotPro.TestShapes; loading a second copy of
# the same assembly from another path would fail).
if (-not ('Microsoft.ActiveDirectory.Management.ADEntityAdapter' -as [type])) {
    $dll = @(
        Join-Path $PSScriptRoot 'HeadshotPro.TestShapes.dll'
        foreach ($configuration in 'Release', 'Debug') {
            Join-Path $PSScriptRoot "../HeadshotPro.TestShapes/bin/$configuration/netstandard2.0/HeadshotPro.TestShapes.dll"
        }
    ) | Where-Object { Test-Path $_ } | Get-Item | Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1
    if (-not $dll) { throw 'HeadshotPro.TestShapes.dll is not built. Run: dotnet pwsh ./build.ps1 Build' }
    Add-Type -Path $dll.FullName
}
# The adapters, as the AD module's types file registers them (once per session).
if (-not (Get-TypeData 'Microsoft.ActiveDirectory.Management.ADUser')) {
    Update-TypeData -PrependPath (Join-Path $PSScriptRoot 'DirectoryStandIns.Types.ps1xml')
}

$script:People = @()
$script:Photos = @{}
$script:Failures = @{}
$script:Groups = @{}
$script:Credentials = @{}
$script:Domain = 'DC=contoso,DC=example'

function New-NameGuid([string] $Name) {
    $hash = [System.Security.Cryptography.MD5]::Create().ComputeHash([System.Text.Encoding]::UTF8.GetBytes($Name.ToLowerInvariant()))
    [guid]::new($hash)
}

function Set-StandInDirectory {
    <#
    .SYNOPSIS
    Seeds the directory. People: rows with SamAccountName and any of GivenName, Surname, Name, Mail, UserPrincipalName,
    Enabled (default $true), Department, OtherMails, ProxyAddresses, Groups (names), Id (Entra object id; default a GUID
    made from the SamAccountName). Groups: name → member SamAccountNames (added to what the rows' Groups say).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [object[]] $People,
        [hashtable] $Groups = @{},
        [string] $Domain = 'DC=contoso,DC=example'
    )
    $script:Domain = $Domain
    $script:Groups = @{}
    $script:Photos = @{}
    $script:Failures = @{}
    $script:People = @(foreach ($row in $People) {
        $get = { param($n, $default) if ($row -is [System.Collections.IDictionary]) { if ($row.Contains($n)) { $row[$n] } else { $default } } elseif ($row.PSObject.Properties[$n]) { $row.$n } else { $default } }
        $sam = & $get SamAccountName $null
        if (-not $sam) { throw 'Every person needs a SamAccountName.' }
        $given = & $get GivenName $sam
        $surname = & $get Surname $null
        $name = & $get Name ((@($given, $surname) | Where-Object { $_ }) -join ' ')
        $person = [pscustomobject]@{
            SamAccountName    = $sam
            GivenName         = $given
            Surname           = $surname
            Name              = $name
            Mail              = & $get Mail $null
            UserPrincipalName = & $get UserPrincipalName "$sam@$(($Domain -replace 'DC=', '' -replace ',', '.'))"
            Enabled           = [bool](& $get Enabled $true)
            Department        = & $get Department $null
            OtherMails        = @(& $get OtherMails @())
            ProxyAddresses    = @(& $get ProxyAddresses @())
            Id                = [string](& $get Id (New-NameGuid "entra:$sam"))
            ObjectGuid        = New-NameGuid "ad:$sam"
            DistinguishedName = "CN=$name,OU=Staff,$Domain"
            Sid               = 'S-1-5-21-1004336348-1177238915-682003330-{0}' -f (1100 + [Math]::Abs($sam.GetHashCode() % 8000))
        }
        foreach ($group in @(& $get Groups @())) {
            if (-not $script:Groups.ContainsKey($group)) { $script:Groups[$group] = [System.Collections.Generic.List[string]]::new() }
            $script:Groups[$group].Add($sam)
        }
        $person
    })
    foreach ($group in $Groups.Keys) {
        if (-not $script:Groups.ContainsKey($group)) { $script:Groups[$group] = [System.Collections.Generic.List[string]]::new() }
        foreach ($sam in @($Groups[$group])) { if (-not $script:Groups[$group].Contains($sam)) { $script:Groups[$group].Add($sam) } }
    }
}

function Get-StandInGroupId {
    <# .SYNOPSIS The Entra object id the stand-in gives a group (for Get-MgGroupMember -GroupId). #>
    param([Parameter(Mandatory)] [string] $Name)
    [string](New-NameGuid "group:$Name")
}

function Set-StandInAutomationCredential {
    <# .SYNOPSIS Seeds an Azure Automation credential asset for Get-AutomationPSCredential. #>
    param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [pscredential] $Credential)
    $script:Credentials[$Name] = $Credential
}

function Find-Person($Identity) {
    $value = if ($Identity -is [psobject]) { $Identity.PSObject.BaseObject } else { $Identity }
    if ($value -is [Microsoft.ActiveDirectory.Management.ADObject]) {
        $keys = foreach ($n in 'SamAccountName', 'DistinguishedName', 'ObjectGUID') { if ($value.Contains($n)) { [string]$value[$n].Value } }
    }
    else { $keys = @([string]$value) }
    foreach ($key in $keys) {
        $found = @($script:People | Where-Object {
            $_.SamAccountName -eq $key -or $_.DistinguishedName -eq $key -or [string]$_.ObjectGuid -eq $key -or $_.UserPrincipalName -eq $key -or $_.Sid -eq $key
        })
        if ($found) { return $found[0] }
    }
}

# Get-ADUser's default property set, and what -Properties can add (LDAP names and the module's extended names).
$script:ADDefault = 'DistinguishedName', 'Enabled', 'GivenName', 'Name', 'ObjectClass', 'ObjectGUID', 'SamAccountName', 'SID', 'Surname', 'UserPrincipalName'
$script:ADExtra = [ordered]@{
    mail           = { param($p) $p.Mail }
    EmailAddress   = { param($p) $p.Mail }
    Department     = { param($p) $p.Department }
    DisplayName    = { param($p) $p.Name }
    otherMailbox   = { param($p) $p.OtherMails }
    proxyAddresses = { param($p) $p.ProxyAddresses }
    CN             = { param($p) $p.Name }
}

function ConvertTo-ADUser($Person, [string[]] $Properties) {
    $user = [Microsoft.ActiveDirectory.Management.ADUser]::new()
    $user['DistinguishedName'] = [Microsoft.ActiveDirectory.Management.ADPropertyValueCollection]::new($Person.DistinguishedName)
    $user['Enabled'] = [Microsoft.ActiveDirectory.Management.ADPropertyValueCollection]::new($Person.Enabled)
    $user['GivenName'] = [Microsoft.ActiveDirectory.Management.ADPropertyValueCollection]::new($Person.GivenName)
    $user['Name'] = [Microsoft.ActiveDirectory.Management.ADPropertyValueCollection]::new($Person.Name)
    $user['ObjectClass'] = [Microsoft.ActiveDirectory.Management.ADPropertyValueCollection]::new('user')
    $user['ObjectGUID'] = [Microsoft.ActiveDirectory.Management.ADPropertyValueCollection]::new([Nullable[guid]]$Person.ObjectGuid)
    $user['SamAccountName'] = [Microsoft.ActiveDirectory.Management.ADPropertyValueCollection]::new($Person.SamAccountName)
    $user['SID'] = [Microsoft.ActiveDirectory.Management.ADPropertyValueCollection]::new($Person.Sid)
    $user['Surname'] = [Microsoft.ActiveDirectory.Management.ADPropertyValueCollection]::new($Person.Surname)
    $user['UserPrincipalName'] = [Microsoft.ActiveDirectory.Management.ADPropertyValueCollection]::new($Person.UserPrincipalName)
    $wanted = foreach ($p in $Properties) { if ($p -eq '*') { $script:ADExtra.Keys } else { $p } }
    foreach ($asked in $wanted) {
        if ($script:ADDefault -contains $asked) { continue }
        $name = @($script:ADExtra.Keys) | Where-Object { $_ -eq $asked } | Select-Object -First 1
        if (-not $name) { throw [System.ArgumentException]::new("One or more properties are invalid.`nParameter name: $asked") }
        $value = & $script:ADExtra[$name] $Person
        # An attribute with no value is still there when asked for, with an empty value collection.
        $values = [Microsoft.ActiveDirectory.Management.ADPropertyValueCollection]::new()
        foreach ($v in @($value)) { if ($null -ne $v -and '' -ne $v) { $null = $values.Add($v) } }
        $user[$name] = $values
    }
    $user
}

function Test-ADFilter($Person, [string] $Filter, $SessionState) {
    if ($Filter.Trim() -eq '*') { return $true }
    foreach ($clause in $Filter -split '\s+-and\s+') {
        if ($clause.Trim() -notmatch '^\(?\s*(?<prop>[\w-]+)\s+-(?<op>eq|ne|like|notlike)\s+(?<value>.+?)\s*\)?$') {
            throw [System.ArgumentException]::new("The stand-in Get-ADUser cannot parse the filter clause: $clause")
        }
        $prop = $Matches.prop; $op = $Matches.op; $raw = $Matches.value.Trim()
        $value = switch -Regex ($raw) {
            '^\$true$' { $true; break }
            '^\$false$' { $false; break }
            '^\$(?<var>\w+)$' { $SessionState.PSVariable.GetValue($Matches.var); break }
            "^'(?<s>(?:[^']|'')*)'$" { $Matches.s -replace "''", "'"; break }
            '^"(?<s>(?:[^"`]|""|`.)*)"$' { $Matches.s -replace '""', '"'; break }
            "^['""]" { throw [System.ArgumentException]::new("Error parsing query: '$Filter' Error Message: 'syntax error' at position: '$($Filter.IndexOf($raw) + 1)'.") }
            default { $raw }
        }
        $actual = switch ($prop) {
            'mail' { $Person.Mail } 'EmailAddress' { $Person.Mail } default { $Person.$prop }
        }
        if ($actual -is [bool] -and $value -is [string]) { $value = [bool]::Parse($value) }
        $ok = switch ($op) {
            'eq' { $actual -eq $value } 'ne' { $actual -ne $value } 'like' { $actual -like $value } 'notlike' { $actual -notlike $value }
        }
        if (-not $ok) { return $false }
    }
    $true
}

# LDAP attribute names (as RFC 4515 filters use them, case-insensitive) for what the stand-in directory holds.
$script:LdapAttributes = @{ mail = 'Mail'; samaccountname = 'SamAccountName'; userprincipalname = 'UserPrincipalName'; department = 'Department'; cn = 'Name'; displayname = 'Name'; givenname = 'GivenName'; sn = 'Surname' }

function Test-LdapFilter($Person, [string] $Filter) {
    <# RFC 4515 as AD reads it, for (attr=value), (&...), (|...) and (!...): in a value, * is a wildcard and \HH an escaped byte; a bare ( ) or \ is a malformed filter. #>
    $state = @{ At = 0 }
    $result = Read-LdapItem $Person $Filter $state
    if ($state.At -ne $Filter.Length) { throw [System.ArgumentException]::new('The search filter cannot be recognized') }
    $result
}

function Read-LdapItem($Person, [string] $Filter, [hashtable] $State) {
    $bad = { throw [System.ArgumentException]::new('The search filter cannot be recognized') }
    if ($State.At -ge $Filter.Length -or $Filter[$State.At] -ne '(') { & $bad }
    $State.At++
    $op = $Filter[$State.At]
    if ($op -in '&', '|', '!') {
        $State.At++
        $results = [System.Collections.Generic.List[bool]]::new()
        while ($State.At -lt $Filter.Length -and $Filter[$State.At] -eq '(') { $results.Add((Read-LdapItem $Person $Filter $State)) }
        if ($State.At -ge $Filter.Length -or $Filter[$State.At] -ne ')' -or $results.Count -eq 0) { & $bad }
        $State.At++
        if ($op -eq '&') { return -not $results.Contains($false) }
        if ($op -eq '|') { return $results.Contains($true) }
        return -not $results[0]
    }
    $end = $Filter.IndexOf(')', $State.At)
    if ($end -lt 0) { & $bad }
    $item = $Filter.Substring($State.At, $end - $State.At)
    $State.At = $end + 1
    if ($item -notmatch '^(?<attr>[A-Za-z][\w-]*)=(?<value>.*)$') { & $bad }
    $attr = $Matches.attr.ToLowerInvariant(); $raw = $Matches.value
    if ($raw.Contains('(') -or $raw -match '\\(?![0-9a-fA-F]{2})') { & $bad }
    if ($attr -eq 'objectclass') { return $raw -in 'user', 'person', 'organizationalPerson', 'top' }
    if ($attr -eq 'objectcategory') { return $raw -eq 'person' }
    $pattern = '^' + (($raw -split '\*' | ForEach-Object {
        [regex]::Escape([regex]::Replace($_, '\\([0-9a-fA-F]{2})', { param($m) [string][char][Convert]::ToInt32($m.Groups[1].Value, 16) }))
    }) -join '.*') + '$'
    $actual = if ($script:LdapAttributes.ContainsKey($attr)) { [string]$Person.($script:LdapAttributes[$attr]) } else { '' }
    [regex]::IsMatch($actual, $pattern, 'IgnoreCase')
}

function Get-ADUser {
    [CmdletBinding(DefaultParameterSetName = 'Filter')]
    [OutputType([Microsoft.ActiveDirectory.Management.ADUser])]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ParameterSetName = 'Identity')] [object] $Identity,
        [Parameter(Mandatory, ParameterSetName = 'Filter')] [string] $Filter,
        [Parameter(Mandatory, ParameterSetName = 'LdapFilter')] [string] $LDAPFilter,
        [Alias('Property')] [string[]] $Properties = @(),
        [string] $Server
    )
    process {
        if ($PSCmdlet.ParameterSetName -eq 'Identity') {
            $person = Find-Person $Identity
            if (-not $person) {
                $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                        [System.Exception]::new("Cannot find an object with identity: '$Identity' under: '$script:Domain'."),
                        'ActiveDirectoryCmdlet:Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException,Microsoft.ActiveDirectory.Management.Commands.GetADUser',
                        'ObjectNotFound', $Identity))
            }
            ConvertTo-ADUser $person $Properties
        }
        elseif ($PSCmdlet.ParameterSetName -eq 'LdapFilter') {
            foreach ($person in $script:People) {
                if (Test-LdapFilter $person $LDAPFilter) { ConvertTo-ADUser $person $Properties }
            }
        }
        else {
            foreach ($person in $script:People) {
                if (Test-ADFilter $person $Filter $PSCmdlet.SessionState) { ConvertTo-ADUser $person $Properties }
            }
        }
    }
}

function Get-ADGroupMember {
    [CmdletBinding()]
    [OutputType([Microsoft.ActiveDirectory.Management.ADPrincipal])]
    param([Parameter(Mandatory, Position = 0, ValueFromPipeline)] [object] $Identity, [switch] $Recursive, [string] $Server)
    process {
        $name = [string]$Identity
        if (-not $script:Groups.ContainsKey($name)) {
            $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                    [System.Exception]::new("Cannot find an object with identity: '$name' under: '$script:Domain'."),
                    'ActiveDirectoryCmdlet:Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException,Microsoft.ActiveDirectory.Management.Commands.GetADGroupMember',
                    'ObjectNotFound', $Identity))
        }
        foreach ($sam in $script:Groups[$name]) {
            $p = Find-Person $sam
            # Get-ADGroupMember returns ADPrincipal objects with these keys, LDAP-cased as the cmdlet returns them.
            $principal = [Microsoft.ActiveDirectory.Management.ADPrincipal]::new()
            $principal['distinguishedName'] = [Microsoft.ActiveDirectory.Management.ADPropertyValueCollection]::new($p.DistinguishedName)
            $principal['name'] = [Microsoft.ActiveDirectory.Management.ADPropertyValueCollection]::new($p.Name)
            $principal['objectClass'] = [Microsoft.ActiveDirectory.Management.ADPropertyValueCollection]::new('user')
            $principal['objectGUID'] = [Microsoft.ActiveDirectory.Management.ADPropertyValueCollection]::new([Nullable[guid]]$p.ObjectGuid)
            $principal['SamAccountName'] = [Microsoft.ActiveDirectory.Management.ADPropertyValueCollection]::new($p.SamAccountName)
            $principal['SID'] = [Microsoft.ActiveDirectory.Management.ADPropertyValueCollection]::new($p.Sid)
            $principal
        }
    }
}

# Graph returns these for a user unless -Property selects others.
$script:MgDefault = 'BusinessPhones', 'DisplayName', 'GivenName', 'Id', 'JobTitle', 'Mail', 'MobilePhone', 'OfficeLocation', 'PreferredLanguage', 'Surname', 'UserPrincipalName'

function ConvertTo-MgUser($Person, [string[]] $Property) {
    $all = @{
        Id = $Person.Id; DisplayName = $Person.Name; GivenName = $Person.GivenName; Surname = $Person.Surname; Mail = $Person.Mail
        UserPrincipalName = $Person.UserPrincipalName; BusinessPhones = [string[]]@(); AccountEnabled = $Person.Enabled
        Department = $Person.Department; OtherMails = [string[]]$Person.OtherMails; ProxyAddresses = [string[]]$Person.ProxyAddresses
    }
    $selected = if ($Property) { @('Id') + $Property } else { $script:MgDefault }
    $user = [Microsoft.Graph.PowerShell.Models.MicrosoftGraphUser]::new()
    foreach ($name in $selected) {
        $key = @($all.Keys) | Where-Object { $_ -eq $name } | Select-Object -First 1
        if ($key) { $user.$key = $all[$key] }
    }
    $user
}

function Get-MgUser {
    [CmdletBinding(DefaultParameterSetName = 'List')]
    [OutputType([Microsoft.Graph.PowerShell.Models.IMicrosoftGraphUser])]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Get', ValueFromPipelineByPropertyName)] [string] $UserId,
        [Parameter(ParameterSetName = 'List')] [string] $Filter,
        [Parameter(ParameterSetName = 'List')] [switch] $All,
        [Alias('Select')] [string[]] $Property
    )
    process {
        if ($PSCmdlet.ParameterSetName -eq 'Get') {
            $person = $script:People | Where-Object { $_.Id -eq $UserId -or $_.UserPrincipalName -eq $UserId } | Select-Object -First 1
            if (-not $person) {
                Write-Error -Message "[Request_ResourceNotFound] : Resource '$UserId' does not exist or one of its queried reference-property objects are not present." `
                    -ErrorId 'Get_Get,Microsoft.Graph.PowerShell.Cmdlets.GetMgUser_Get' -Category ObjectNotFound -TargetObject $UserId
                return
            }
            ConvertTo-MgUser $person $Property
        }
        else {
            foreach ($person in $script:People) {
                if ($Filter) {
                    # An OData string literal: a quote inside it is doubled; anything else is Graph's 400 "Invalid filter clause".
                    if ($Filter -notmatch "^\s*(?<prop>\w+)\s+eq\s+'(?<value>(?:[^']|'')*)'\s*$") {
                        Write-Error -Message "[BadRequest] : Invalid filter clause: $Filter" -ErrorId 'Get_List,Microsoft.Graph.PowerShell.Cmdlets.GetMgUser_List' -Category InvalidArgument -TargetObject $Filter
                        return
                    }
                    $prop = @{ mail = 'Mail'; userPrincipalName = 'UserPrincipalName'; department = 'Department'; displayName = 'Name'; accountEnabled = 'Enabled' }[$Matches.prop]
                    if ([string]$person.$prop -ne ($Matches.value -replace "''", "'")) { continue }
                }
                ConvertTo-MgUser $person $Property
            }
        }
    }
}

function Get-MgGroupMember {
    [CmdletBinding()]
    [OutputType([Microsoft.Graph.PowerShell.Models.IMicrosoftGraphDirectoryObject])]
    param([Parameter(Mandatory)] [string] $GroupId, [switch] $All, [int] $Top)
    $name = @($script:Groups.Keys) | Where-Object { (Get-StandInGroupId $_) -eq $GroupId } | Select-Object -First 1
    if (-not $name) {
        Write-Error -Message "[Request_ResourceNotFound] : Resource '$GroupId' does not exist or one of its queried reference-property objects are not present." `
            -ErrorId 'List,Microsoft.Graph.PowerShell.Cmdlets.GetMgGroupMember_List' -Category ObjectNotFound -TargetObject $GroupId
        return
    }
    foreach ($sam in $script:Groups[$name]) {
        $p = Find-Person $sam
        $member = [Microsoft.Graph.PowerShell.Models.MicrosoftGraphDirectoryObject]::new()
        $member.Id = $p.Id
        # What Graph sends for a user member beyond directoryObject's own properties.
        $member.AdditionalProperties['@odata.type'] = '#microsoft.graph.user'
        $member.AdditionalProperties['businessPhones'] = @()
        $member.AdditionalProperties['displayName'] = $p.Name
        $member.AdditionalProperties['givenName'] = $p.GivenName
        $member.AdditionalProperties['mail'] = $p.Mail
        $member.AdditionalProperties['surname'] = $p.Surname
        $member.AdditionalProperties['userPrincipalName'] = $p.UserPrincipalName
        $member
    }
}

function Find-Mailbox([string] $Identity) {
    $script:People | Where-Object { $_.Mail } | Where-Object {
        -not $Identity -or $_.Mail -eq $Identity -or $_.SamAccountName -eq $Identity -or $_.UserPrincipalName -eq $Identity -or $_.Name -eq $Identity
    }
}

function Get-EXORecipient {
    [CmdletBinding()]
    [OutputType([Microsoft.Exchange.Management.RestApiClient.ExoRecipient])]
    param([Parameter(Position = 0, ValueFromPipeline)] [string] $Identity, [object] $ResultSize)
    process {
        foreach ($p in Find-Mailbox $Identity) {
            $r = [Microsoft.Exchange.Management.RestApiClient.ExoRecipient]::new()
            $r.ExternalDirectoryObjectId = $p.Id
            $r.Identity = $p.SamAccountName
            $r.Alias = $p.SamAccountName
            $r.EmailAddresses = [string[]](@("SMTP:$($p.Mail)") + @($p.ProxyAddresses | Where-Object { $_ -cnotmatch '^SMTP:' }))
            $r.DisplayName = $p.Name
            $r.Name = $p.SamAccountName
            $r.PrimarySmtpAddress = $p.Mail
            $r.RecipientType = 'UserMailbox'
            $r.RecipientTypeDetails = 'UserMailbox'
            $r.DistinguishedName = $p.DistinguishedName
            $r
        }
    }
}

function Get-Recipient {
    <# .SYNOPSIS What a remote Exchange session's Get-Recipient gives the client: the server's ReducedRecipient, serialized at remoting's default depth (1) and deserialized. #>
    [CmdletBinding()]
    param([Parameter(Position = 0, ValueFromPipeline)] [string] $Identity, [object] $ResultSize)
    process {
        foreach ($p in Find-Mailbox $Identity) {
            $r = [Microsoft.Exchange.Data.Directory.Management.ReducedRecipient]::new()
            $r.Identity = $p.SamAccountName
            $r.Name = $p.SamAccountName
            $r.DistinguishedName = $p.DistinguishedName
            $r.Guid = $p.ObjectGuid
            $r.Alias = $p.SamAccountName
            $r.DisplayName = $p.Name
            $r.PrimarySmtpAddress = [Microsoft.Exchange.Data.SmtpAddress]::new($p.Mail)
            $r.EmailAddresses = [Microsoft.Exchange.Data.ProxyAddressCollection]::new([string[]]@("SMTP:$($p.Mail)"))
            $r.RecipientType = 'UserMailbox'
            $r.RecipientTypeDetails = 'UserMailbox'
            $r.ExternalDirectoryObjectId = $p.Id
            $r.WindowsLiveID = $p.UserPrincipalName
            [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($r, 1))
        }
    }
}

function Get-AutomationPSCredential {
    <# .SYNOPSIS Azure Automation's credential asset, from what Set-StandInAutomationCredential seeded. #>
    [CmdletBinding()]
    [OutputType([pscredential])]
    param([Parameter(Mandatory)] [string] $Name)
    if (-not $script:Credentials.ContainsKey($Name)) { throw "Credentials asset not found. To create this Credentials asset, navigate to the Assets blade and create a Credentials asset named: $Name." }
    $script:Credentials[$Name]
}

function Get-StandInPhoto {
    <# .SYNOPSIS The photos the stand-ins were given: one row per (Where, SamAccountName), with the bytes' length. #>
    param()
    foreach ($key in @($script:Photos.Keys)) { $script:Photos[$key] }
}

function Save-StandInPhoto([string] $Where, $Person, [byte[]] $Bytes) {
    $key = "$Where/$($Person.SamAccountName)"
    $sets = if ($script:Photos.ContainsKey($key)) { $script:Photos[$key].Sets } else { 0 }
    $script:Photos[$key] = [pscustomobject]@{ Where = $Where; SamAccountName = $Person.SamAccountName; Length = $Bytes.Length; Bytes = $Bytes; Sets = $sets + 1 }
}

function Set-StandInFailure {
    <# .SYNOPSIS The next -Count calls of a photo setter (Set-MgUserPhotoContent, Set-UserPhoto, Set-ADUser) fail as the service does when it is busy. #>
    param([Parameter(Mandatory)] [ValidateSet('Set-MgUserPhotoContent', 'Set-UserPhoto', 'Set-ADUser')] [string] $Command, [int] $Count = 1)
    $script:Failures[$Command] = $Count
}

function Test-StandInFailure([string] $Command, $Cmdlet, $Target) {
    if (-not $script:Failures[$Command]) { return $false }
    $script:Failures[$Command]--
    $failure = switch ($Command) {
        'Set-MgUserPhotoContent' { 'Service Unavailable', 'UpdateExpanded,Microsoft.Graph.PowerShell.Cmdlets.SetMgUserPhotoContent_SetExpanded' }
        'Set-UserPhoto' { 'The Microsoft Exchange Information Store service is busy. Try again later.', 'StoragePermanentException,Set-UserPhoto' }
        default { 'The server is unwilling to process the request', 'ActiveDirectoryServer:8245,Microsoft.ActiveDirectory.Management.Commands.SetADUser' }
    }
    $Cmdlet.WriteError([System.Management.Automation.ErrorRecord]::new([System.Exception]::new($failure[0]), $failure[1], 'ResourceUnavailable', $Target))
    $true
}

function Connect-MgGraph {
    <# .SYNOPSIS Microsoft.Graph.Authentication's Connect-MgGraph: here it connects to the stand-in directory (-Identity for a managed identity, -Scopes for a user). #>
    [CmdletBinding(DefaultParameterSetName = 'UserParameterSet')]
    param(
        [Parameter(ParameterSetName = 'UserParameterSet', Position = 0)] [string[]] $Scopes,
        [Parameter(ParameterSetName = 'IdentityParameterSet')] [switch] $Identity,
        [string] $ClientId,
        [string] $TenantId,
        [switch] $NoWelcome
    )
    if (-not $NoWelcome) { Write-Host 'Welcome to Microsoft Graph!' }
}

function Set-MgUserPhotoContent {
    <#
    .SYNOPSIS
    Microsoft Graph's Set-MgUserPhotoContent (Microsoft.Graph.Users): PUT /users/{id | userPrincipalName}/photo/$value
    from -InFile. -UserId is an object id or a user principal name, as Graph takes it (not a mail address that differs).
    #>
    [CmdletBinding(DefaultParameterSetName = 'Set', SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Set')] [string] $UserId,
        [Parameter(Mandatory, ParameterSetName = 'SetViaIdentity', ValueFromPipeline)] [object] $InputObject,
        [Parameter(Mandatory)] [string] $InFile,
        [System.IO.Stream] $Data,
        [string] $ContentType,
        [System.Collections.IDictionary] $Headers,
        [string] $ResponseHeadersVariable,
        [switch] $PassThru
    )
    process {
        $id = if ($PSCmdlet.ParameterSetName -eq 'Set') { $UserId } else { [string]$InputObject.UserId }
        $person = $script:People | Where-Object { $_.Id -eq $id -or $_.UserPrincipalName -eq $id } | Select-Object -First 1
        if (-not $person) {
            Write-Error -Message "[Request_ResourceNotFound] : Resource '$id' does not exist or one of its queried reference-property objects are not present." `
                -ErrorId 'UpdateExpanded,Microsoft.Graph.PowerShell.Cmdlets.SetMgUserPhotoContent_SetExpanded' -Category ObjectNotFound -TargetObject $id
            return
        }
        $path = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($InFile)
        if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
            Write-Error -Message "The file '$path' could not be found." -ErrorId 'FileNotFound,Microsoft.Graph.PowerShell.Cmdlets.SetMgUserPhotoContent_SetExpanded' -Category ObjectNotFound -TargetObject $InFile
            return
        }
        if (Test-StandInFailure 'Set-MgUserPhotoContent' $PSCmdlet $id) { return }
        if ($PSCmdlet.ShouldProcess($id, 'Set-MgUserPhotoContent_Set')) {
            Save-StandInPhoto 'Graph' $person ([System.IO.File]::ReadAllBytes($path))
            if ($PassThru) { $true }
        }
    }
}

function Set-UserPhoto {
    <#
    .SYNOPSIS
    Exchange's Set-UserPhoto (on-premises Exchange Server; Microsoft 365 moved user photos to Graph): -PictureData bytes
    or -PictureStream for the mailbox -Identity (address, alias or name). ConfirmImpact High, as the real one: runbooks
    pass -Confirm:$false.
    #>
    [CmdletBinding(DefaultParameterSetName = 'UploadPhotoData', SupportsShouldProcess, ConfirmImpact = 'High')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)] [object] $Identity,
        [Parameter(Mandatory, ParameterSetName = 'UploadPhotoData')] [Parameter(ParameterSetName = 'UploadPreview')] [byte[]] $PictureData,
        [Parameter(Mandatory, ParameterSetName = 'UploadPhotoStream')] [Parameter(ParameterSetName = 'UploadPreview')] [System.IO.Stream] $PictureStream,
        [Parameter(Mandatory, ParameterSetName = 'UploadPreview')] [switch] $Preview,
        [Parameter(Mandatory, ParameterSetName = 'SavePhoto')] [switch] $Save,
        [Parameter(Mandatory, ParameterSetName = 'CancelPhoto')] [switch] $Cancel,
        [string] $DomainController,
        [switch] $GroupMailbox,
        [switch] $IgnoreDefaultScope,
        [string] $PhotoType
    )
    process {
        $person = @(Find-Mailbox ([string]$Identity))[0]
        if (-not $Identity -or -not $person) {
            Write-Error -Message "The operation couldn't be performed because object '$Identity' couldn't be found on '$($script:Domain)'." `
                -ErrorId 'ManagementObjectNotFoundException,Set-UserPhoto' -Category NotSpecified -TargetObject $Identity
            return
        }
        if ($PSCmdlet.ParameterSetName -in 'SavePhoto', 'CancelPhoto') { return }
        $bytes = if ($PictureStream) { $m = [System.IO.MemoryStream]::new(); $PictureStream.CopyTo($m); $m.ToArray() } else { $PictureData }
        if (Test-StandInFailure 'Set-UserPhoto' $PSCmdlet $Identity) { return }
        if ($PSCmdlet.ShouldProcess($person.Name, 'Set-UserPhoto')) { Save-StandInPhoto 'Exchange' $person $bytes }
    }
}

function Set-ADUser {
    <#
    .SYNOPSIS
    Set-ADUser for -Replace / -Add / -Clear of attributes on the -Identity (an ADUser from the pipeline, a
    SamAccountName, DN, GUID, SID or UPN). thumbnailPhoto holds at most 100 KB (102,400 bytes), as in AD's schema.
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline)] [object] $Identity,
        [hashtable] $Replace,
        [hashtable] $Add,
        [string[]] $Clear,
        [string] $Server,
        [switch] $PassThru
    )
    process {
        $person = Find-Person $Identity
        if (-not $person) {
            $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                    [System.Exception]::new("Cannot find an object with identity: '$Identity' under: '$script:Domain'."),
                    'ActiveDirectoryCmdlet:Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException,Microsoft.ActiveDirectory.Management.Commands.SetADUser',
                    'ObjectNotFound', $Identity))
        }
        foreach ($table in @($Replace, $Add) | Where-Object { $_ }) {
            foreach ($name in @($table.Keys)) {
                if ($name -ne 'thumbnailPhoto') { continue }
                $bytes = [byte[]]$table[$name]
                if ($bytes.Length -gt 102400) {
                    Write-Error -Message 'A value for the attribute was not in the acceptable range of values' `
                        -ErrorId 'ActiveDirectoryServer:8322,Microsoft.ActiveDirectory.Management.Commands.SetADUser' -Category InvalidArgument -TargetObject $Identity
                    return
                }
                if (Test-StandInFailure 'Set-ADUser' $PSCmdlet $Identity) { return }
                if ($PSCmdlet.ShouldProcess($person.DistinguishedName, 'Set')) { Save-StandInPhoto 'AD' $person $bytes }
            }
        }
        if ($PassThru) { ConvertTo-ADUser $person @() }
    }
}

Export-ModuleMember -Function Set-StandInDirectory, Get-StandInGroupId, Set-StandInAutomationCredential, Get-ADUser, Get-ADGroupMember,
    Get-MgUser, Get-MgGroupMember, Get-EXORecipient, Get-Recipient, Get-AutomationPSCredential,
    Connect-MgGraph, Set-MgUserPhotoContent, Set-UserPhoto, Set-ADUser, Get-StandInPhoto, Set-StandInFailure
