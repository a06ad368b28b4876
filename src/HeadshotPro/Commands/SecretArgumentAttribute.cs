using System.Management.Automation;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// Refuses plain text where a SecureString goes, saying how to pass the secret instead. PowerShell's own refusal,
    /// "Cannot convert the "…" value of type "System.String"", quotes the secret; this message never does.
    /// </summary>
    public sealed class SecretArgumentAttribute : ArgumentTransformationAttribute
    {
        public SecretArgumentAttribute(string howToPass) => HowToPass = howToPass;

        /// <summary>The message: why plain text is refused and the ways to pass the secret.</summary>
        public string HowToPass { get; }

        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            if ((inputData is PSObject wrapped ? wrapped.BaseObject : inputData) is string)
                throw new ArgumentTransformationMetadataException(HowToPass);
            return inputData;
        }
    }
}
