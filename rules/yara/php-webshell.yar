/*
  Generic PHP web shells: request input reaching a code or command execution function.
  Written for socnoc; licence: Apache-2.0 (as the rest of socnoc).
*/
rule PHP_Webshell_Request_To_Exec
{
    meta:
        description = "PHP file passing HTTP request input to eval/assert/system/exec/passthru/shell_exec/popen"
        author = "socnoc"
        severity = "high"
    strings:
        $php = "<?php" nocase
        $exec = /(eval|assert|system|exec|passthru|shell_exec|popen|proc_open)\s*\(\s*(base64_decode\s*\(\s*)?\$_(GET|POST|REQUEST|COOKIE|SERVER)\s*\[/ nocase
    condition:
        $php and $exec and filesize < 1MB
}

rule PHP_Webshell_Obfuscated_Eval
{
    meta:
        description = "PHP eval of decoded or decompressed data, typical of packed web shells"
        author = "socnoc"
        severity = "medium"
    strings:
        $php = "<?php" nocase
        $e1 = /eval\s*\(\s*(gzinflate|gzuncompress|str_rot13|base64_decode)\s*\(/ nocase
    condition:
        $php and $e1 and filesize < 1MB
}
