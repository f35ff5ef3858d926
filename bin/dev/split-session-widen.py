#!/usr/bin/env python3
"""The visibility fix-up after bin/dev/split-session.py, from javac's own refusals (decision 525).

Reads a javac log and makes public exactly what javac refused from outside its package ("X is not public in Y;
cannot be accessed from outside package"; for "method m in class C cannot be applied", every overload of m in C,
since javac names no overload; only with --overloads, after a pass without it has made public the overloads javac
named). Only types under core/src/main/java/dev/lathe/core are changed. Run it after the
split, compile again, repeat until javac has no such error left; then read the diff (nested types whose owner javac
names by simple name only are reported with "??" for a hand fix). Usage, from the repository root:
    javac -Xmaxerrs 5000 ... 2> /tmp/javac.log ; python3 bin/dev/split-session-widen.py /tmp/javac.log [--overloads]
or with Maven's log (100 errors a round):
    ./mvnw -q -B -o -pl core -am compile > /tmp/javac.log 2>&1 ; python3 bin/dev/split-session-widen.py /tmp/javac.log
"""
import os
import re
import sys

ROOT = os.getcwd()
errf = sys.argv[1]
err=open(errf).read()
pat=re.compile(r"^(?:(\S+\.java):(\d+): error: |\[ERROR\] \S+\.java:\[\d+,\d+\] |(?:\[ERROR\])?[ \t]+)(\S.*?) is not public in ([\w.]+); cannot be accessed from outside package",re.M)
pat2=re.compile(r"(?:error: |\] )(?:method|constructor) (\w+) in (?:class|record|enum|interface) ([\w.]+) cannot be applied",re.M)
dirs=[]
for d,_,fs in os.walk(ROOT+'/core/src/main/java/dev/lathe/core'):
    dirs.append(d)
def file_of(typ):
    # typ: maybe qualified; outer simple name = first capitalised segment
    segs=typ.split('.')
    caps=[s for s in segs if s[:1].isupper()]
    pkg='.'.join(s for s in segs if not s[:1].isupper())
    outer=caps[0]
    if pkg:
        p=ROOT+'/core/src/main/java/'+pkg.replace('.','/')+'/'+outer+'.java'
        if os.path.exists(p): return p,caps
    cands=[d+'/'+outer+'.java' for d in dirs if os.path.exists(d+'/'+outer+'.java') and '/session' in d]
    if len(cands)==1: return cands[0],caps
    print('?? no unique file for',typ,cands); return None,caps

def arity_of_sig(what):
    inside=what[what.index('(')+1:what.rindex(')')]
    if not inside.strip(): return 0
    depth=0; n=1
    for ch in inside:
        if ch=='<': depth+=1
        elif ch=='>': depth-=1
        elif ch==',' and depth==0: n+=1
    return n
def arity_at(lines,i,name):
    text=' '.join(lines[i:i+8])
    k=text.index(name+'(') if name+'(' in text else text.index(name+' (')
    k=text.index('(',k)+1
    depth=0; n=0; seen=False
    for ch in text[k:]:
        if ch in '(<': depth+=1
        elif ch in ')>':
            if depth==0: break
            depth-=1
        elif ch==',' and depth==0: n+=1
        elif not ch.isspace(): seen=True
    return n+1 if seen else 0
MOD=r"(?:(?:static|final|abstract|synchronized|default|sealed|non-sealed|strictfp)\s+)*"
edits={}
def add(path,lineno,reason):
    edits.setdefault(path,set()).add(lineno)
items=[(m.group(3),m.group(4)) for m in pat.finditer(err)]+([(m.group(1)+"(x)",m.group(2)) for m in pat2.finditer(err)] if "--overloads" in sys.argv else [])
for what,owner in items:
    # what: "Journal" (type) or "foo(int)" (method/ctor) or "field"
    if '(' in what:
        name=what.split('(')[0]
    else:
        name=what.split('.')[-1]
    # is `what` a type itself? i.e. owner is a package
    ownersegs=owner.split('.')
    if not ownersegs[-1][:1].isupper():
        path,_=file_of(owner+'.'+name)
        if not path: continue
        lines=open(path).read().split('\n')
        for i,l in enumerate(lines):
            if re.match(r"^"+MOD+r"(?:class|record|interface|enum|@interface)\s+"+name+r"\b",l):
                add(path,i,'type'); break
        else: print('?? type decl not found',name,path)
        continue
    path,caps=file_of(owner)
    if not path: continue
    lines=open(path).read().split('\n')
    found=False
    inner=caps[-1]
    for i,l in enumerate(lines):
        s=l.lstrip()
        if s.startswith(('public ','private ','protected ','//','*','/*')) or re.match(r"(return|for|if|while|switch|try|catch|else|new|throw|var|case|yield|do|this|super)\b",s): continue
        if not l.startswith('    ') or l.startswith('             '): continue
        if name[:1].isupper() and name==inner and '(' in what:
            # constructor or record canonical -> the ctor line "Name(" or the record/class declaration
            if re.match(MOD+name+r"\s*\(",s) and (what.endswith('(x)') or arity_at(lines,i,name)==arity_of_sig(what)):
                add(path,i,'ctor'); found=True
            elif re.match(MOD+r"(?:class|record|enum)\s+"+name+r"\b",s) and s.lstrip().startswith('record'):
                add(path,i,'ctor'); found=True
        elif '(' in what:
            if re.match(MOD+r"(?:<[^>]*>\s+)?[\w<>\[\],.? ]+?\s+"+re.escape(name)+r"\s*\(",s) and not re.match(r"(?:new|return|throw|else|if)\b",s):
                if what.endswith('(x)') or arity_at(lines,i,name)==arity_of_sig(what):
                    add(path,i,'method'); found=True
        elif name[:1].isupper() and not name.isupper():
            if re.match(MOD+r"(?:class|record|interface|enum)\s+"+name+r"\b",s):
                add(path,i,'nested'); found=True
        else:
            if re.match(MOD+r"[\w<>\[\],.? ]+?\s+"+re.escape(name)+r"\s*(=|;)",s):
                add(path,i,'field'); found=True
    if not found: print('?? member not found',what,'in',owner,path)
n=0
for path,ls in edits.items():
    lines=open(path).read().split('\n')
    for i in sorted(ls):
        l=lines[i]; ind=len(l)-len(l.lstrip())
        if l.lstrip().startswith('public '): continue
        lines[i]=l[:ind]+'public '+l[ind:]; n+=1
    open(path,'w').write('\n'.join(lines))
print('widened',n,'in',len(edits),'files')
