/*
  EICAR anti-malware test file (https://www.eicar.org/download-anti-malware-testfile/).
  Written for socnoc; licence: Apache-2.0 (as the rest of socnoc).
*/
rule EICAR_Test_File
{
    meta:
        description = "EICAR anti-malware test file"
        author = "socnoc"
        reference = "https://www.eicar.org/download-anti-malware-testfile/"
        severity = "low"
    strings:
        $eicar = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
    condition:
        $eicar at 0 and filesize < 129
}
